"""Forms of the PEKPPP pages (F-01, F-02 and F-03 are built from the instrument in views)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organizations.models import UnitKerja
from pekppp.models import FollowUpStatus, PraEvaluasi, ServiceScope

YES_NO = [(True, _("Ya")), (False, _("Tidak"))]


class NominateForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=UnitKerja.objects.none(),
        label=_("Unit kerja"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    scope = forms.ChoiceField(
        choices=ServiceScope.choices,
        label=_("Ruang lingkup"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    service_name = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        label=_("Layanan yang dievaluasi"),
        help_text=_("Nama layanan utama ULE, misalnya: Layanan legalisir ijazah."),
    )
    never_awarded = forms.BooleanField(
        required=False, label=_("Belum pernah mendapatkan penghargaan pelayanan prima")
    )
    core_business = forms.BooleanField(required=False, label=_("Termasuk core bisnis instansi"))
    represents_scope = forms.BooleanField(
        required=False, label=_("Merepresentasikan ruang lingkup pelayanan yang dipilih")
    )
    evaluators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Evaluator (Biro Organisasi)"),
        widget=forms.CheckboxSelectMultiple,
    )
    blend_public = forms.BooleanField(
        required=False,
        label=_("Gabungkan nilai F-03 ke dalam IPP (75% evaluator / 25% publik)"),
        help_text=_("Bukan ketentuan regulasi; biarkan kosong bila ragu."),
    )

    def __init__(self, *args, units, evaluators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["evaluators"].queryset = evaluators


class EvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Evaluator yang ditugaskan"),
        widget=forms.CheckboxSelectMultiple,
    )
    blend_public = forms.BooleanField(
        required=False, label=_("Gabungkan nilai F-03 ke dalam IPP (75% evaluator / 25% publik)")
    )

    def __init__(self, *args, evaluators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = evaluators


class ReopenStageForm(forms.Form):
    open_until = forms.DateField(
        label=_("Dibuka sampai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PraEvaluasiForm(forms.ModelForm):
    class Meta:
        model = PraEvaluasi
        fields = [
            "service_types",
            "service_types_count",
            "users_per_year",
            "staff_count",
            "service_hours",
            "address",
            "contact",
            "has_standar_pelayanan",
            "has_maklumat",
            "skm_last_year",
            "has_complaint_channel",
            "has_online_service",
            "has_vulnerable_facilities",
            "has_innovation",
            "main_problems",
            "improvement_plans",
        ]
        widgets = {
            "service_types": forms.Textarea(attrs={"rows": 3}),
            "main_problems": forms.Textarea(attrs={"rows": 3}),
            "improvement_plans": forms.Textarea(attrs={"rows": 3}),
        }

    CONDITION_FIELDS = (
        "has_standar_pelayanan",
        "has_maklumat",
        "skm_last_year",
        "has_complaint_channel",
        "has_online_service",
        "has_vulnerable_facilities",
        "has_innovation",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.CONDITION_FIELDS:
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=YES_NO,
                coerce=lambda v: v in (True, "True"),
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih Ya atau Tidak.")},
            )
        for name, field in self.fields.items():
            if name not in self.CONDITION_FIELDS:
                field.widget.attrs.setdefault("class", "form-control")
        for name in ("service_types_count", "users_per_year", "staff_count"):
            self.fields[name].error_messages.update(
                {
                    "invalid": _("Isi dengan bilangan bulat, misalnya 12."),
                    "min_value": _("Tidak boleh negatif."),
                }
            )


class RecommendationForm(forms.Form):
    target = forms.ChoiceField(label=_("Untuk"), choices=())
    text = forms.CharField(
        label=_("Rekomendasi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instrument, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        aspects = [
            (f"aspect:{a.code}", f"{_('Aspek')} {a.code}. {a.name}") for a in instrument.aspects
        ]
        indicators = [
            (f"indicator:{i.code}", f"{i.code} {i.text[:80]}") for i in instrument.indicators()
        ]
        self.fields["target"].choices = [
            (_("Aspek"), aspects),
            (_("Indikator"), indicators),
        ]


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    plan = forms.CharField(
        label=_("Rencana / hasil tindak lanjut"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Rencana tindak lanjut wajib diisi.")},
    )
    due_date = forms.DateField(
        label=_("Target selesai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Isi tanggal yang benar.")},
    )

    def clean_due_date(self) -> dt.date | None:
        value = self.cleaned_data.get("due_date")
        if value and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Isi tanggal yang benar."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") in (FollowUpStatus.BELUM, FollowUpStatus.PROSES) and not data.get(
            "due_date"
        ):
            self.add_error("due_date", _("Isi target tanggal selesai."))
        return data


class SkmAveragesForm(forms.Form):
    respondents = forms.IntegerField(
        label=_("Jumlah responden"),
        min_value=1,
        max_value=10_000_000,
        error_messages={
            "invalid": _("Isi dengan bilangan bulat."),
            "min_value": _("Jumlah responden paling sedikit 1."),
        },
    )

    def __init__(self, *args, unsur, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unsur = unsur
        for u in unsur:
            self.fields[u.code] = forms.CharField(
                label=f"{u.code} {u.name}",
                max_length=10,
                help_text=_("Rata-rata nilai unsur, 1,00 sampai 4,00"),
            )


class SkmUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lembar kerja jawaban responden (.xlsx)"),
        help_text=_(
            "Unduh templat di bawah: satu baris per responden, kolom U1 sampai U9, nilai 1-4."
        ),
    )
