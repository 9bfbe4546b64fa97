from django import forms
from django.utils.translation import gettext_lazy

from .models import CatalogueItem


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["code", "category", "name", "description", "is_active", "position"]
        widgets = {
            **{
                f: forms.TextInput(attrs={"class": "form-control"})
                for f in ["code", "name", "description"]
            },
            "position": forms.NumberInput(attrs={"class": "form-control"}),
            "is_active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


# --- price lists -----------------------------------------------------------------------------


class PriceListForm(forms.Form):
    """A new version of a year's price list (a copy of the year's latest, if any)."""

    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class PriceListImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("价格清单表格"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls"}),
    )


class PriceEntryForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("改造内容"),
        queryset=CatalogueItem.objects.active().in_catalogue_order(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.CharField(
        label=gettext_lazy("计量单位"),
        max_length=12,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    unit_price = forms.DecimalField(
        label=gettext_lazy("单价(元)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
