from django import forms

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
