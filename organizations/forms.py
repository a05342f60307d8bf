from django import forms

from organizations.models import UnitKerja


class UnitProfileForm(forms.ModelForm):
    class Meta:
        model = UnitKerja
        fields = ["head_name", "address", "phone", "email"]
