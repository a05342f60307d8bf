from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.models import ReviewStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class _DocumentFields(forms.Form):
    document_date = forms.DateField(
        label=_("Tanggal dokumen"),
        help_text=_("Tanggal dokumen mulai berlaku, bukan tanggal unggah."),
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )
    title = forms.CharField(
        label=_("Judul"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    page_reference = forms.CharField(
        label=_("Halaman/bagian"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("mis. hlm. 4-6")}
        ),
    )

    def clean_document_date(self) -> dt.date:
        value = self.cleaned_data["document_date"]
        if not dt.date(1945, 1, 1) <= value <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Tanggal dokumen di luar rentang yang wajar."))
        return value


class UploadForm(_DocumentFields):
    """The fields beside the files (the files themselves are read from request.FILES)."""


class LinkForm(_DocumentFields):
    url = forms.CharField(
        label=_("Tautan (http/https)"),
        max_length=2000,
        widget=forms.URLInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "https://"}
        ),
    )


class LibraryFilterForm(forms.Form):
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        label=_("Status reviu"),
        required=False,
        choices=[("", _("Semua status")), *ReviewStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    unused = forms.BooleanField(label=_("Hanya yang belum dipakai"), required=False)
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Semua area")), *areas]
