"""Residents' forms: the needs questionnaire and the ballot. They check the input's shape only
(STYLE 7); windows, scope and one-answer-per-household are the services' rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.catalogue.models import CatalogueItem, Category

from . import photos
from .models import Choice, Willingness
from .services import NeedChoice


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django docs, "Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NeedsForm(forms.Form):
    """Catalogue items as checkboxes grouped by category, an "urgent" toggle per item,
    willingness (only when the campaign asks), free text and up to three photos."""

    items = forms.MultipleChoiceField(
        label=_("需要改造的内容"), required=False, widget=forms.CheckboxSelectMultiple
    )
    urgent = forms.MultipleChoiceField(
        label=_("急需"), required=False, widget=forms.CheckboxSelectMultiple
    )
    willingness = forms.ChoiceField(
        label=_("出资意愿"),
        choices=Willingness.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("其他意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    photos = MultipleFileField(
        label=_("照片（最多 3 张）"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "class": "form-control"}
        ),
    )
    clear_photos = forms.BooleanField(label=_("删除已上传的照片"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.catalogue = list(CatalogueItem.objects.active().in_catalogue_order())
        choices = [(item.code, item.name) for item in self.catalogue]
        self.fields["items"].choices = choices
        self.fields["urgent"].choices = choices
        if not campaign.asks_contribution:
            del self.fields["willingness"]

    def clean_photos(self):
        uploads = self.cleaned_data["photos"]
        if len(uploads) > photos.MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传 3 张照片。"), code="too_many_photos")
        return [photos.prepare_photo(upload) for upload in uploads]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("items") and not (cleaned.get("comment") or "").strip():
            raise forms.ValidationError(
                _("请至少选择一项需要改造的内容，或者写下您的意见。"), code="empty"
            )
        return cleaned

    @property
    def needs(self) -> list[NeedChoice]:
        urgent = set(self.cleaned_data["urgent"])
        return [NeedChoice(code, code in urgent) for code in self.cleaned_data["items"]]

    @property
    def replaces_photos(self) -> bool:
        """New photos replace the old ones; "delete" with no new photos removes them."""
        return bool(self.cleaned_data["photos"]) or self.cleaned_data["clear_photos"]

    def groups(self):
        """[(category label, [(item, is_chosen, is_urgent)])] in catalogue order."""
        chosen = set(self["items"].value() or [])
        urgent = set(self["urgent"].value() or [])
        grouped = []
        for category in Category:
            rows = [
                (item, item.code in chosen, item.code in urgent)
                for item in self.catalogue
                if item.category == category
            ]
            if rows:
                grouped.append((category.label, rows))
        return grouped


def initial_from(submission) -> dict:
    """The form's starting values from a household's earlier answer."""
    if submission is None:
        return {}
    needs = list(submission.needs.all())
    return {
        "items": [n.item.code for n in needs],
        "urgent": [n.item.code for n in needs if n.is_urgent],
        "willingness": submission.willingness,
        "comment": submission.comment,
    }


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("表决意见"), choices=Choice.choices)
