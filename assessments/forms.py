"""Forms of the unit's LKE pages and of the operator's tools.

An indicator card is not a Django form (its fields are named after the rulebook's codes):
`card_changes` reads one card's POST into the service's `AnswerChange`s, and the service
validates the values against the rulebook.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import InstansiFacts, Predikat
from assessments.results import Card
from assessments.services import AnswerChange
from organizations.models import UnitKerja


def _revision(post: QueryDict, code: str) -> int:
    try:
        return max(0, int(post.get(f"rev-{code}", "0")))
    except ValueError:
        return 0


def card_changes(post: QueryDict, card: Card) -> list[AnswerChange]:
    """The answer rows one card posts: its own row (value and penjelasan; a percentage
    indicator's row holds only the penjelasan) and the rows of its count inputs."""
    note = post.get("note")
    own_value = None if card.control == "persen" else post.get(f"val-{card.code}", "")
    changes = [AnswerChange(card.code, own_value, note, _revision(post, card.code))]
    for count_input in card.inputs:
        changes.append(
            AnswerChange(
                count_input.code,
                post.get(f"val-{count_input.code}", ""),
                None,
                _revision(post, count_input.code),
            )
        )
    return changes


def posted_values(post: QueryDict, card: Card) -> dict[str, str]:
    return {code: post.get(f"val-{code}", "") for code in card.codes if f"val-{code}" in post}


# --------------------------------------------------------------------------- eligibility facts

YES_NO = [("", _("Belum diisi")), ("1", _("Ya")), ("0", _("Tidak"))]


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


_PERCENT_LITERAL = re.compile(r"[+-]?([0-9]{1,3}([.,][0-9]*)?|[.,][0-9]+)")


class PercentField(forms.DecimalField):
    """0-100 with at most two decimals; accepts a decimal comma (98,5) as well as a point."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            error_messages={
                "invalid": _("Isi dengan angka 0 sampai 100, mis. 100 atau 98,5."),
                "min_value": _("Persentase tidak boleh kurang dari 0."),
                "max_value": _("Persentase tidak boleh lebih dari 100."),
                "max_decimal_places": _("Paling banyak 2 angka desimal."),
                "max_digits": _("Isi dengan angka 0 sampai 100."),
            },
            **kwargs,
        )

    def prepare_value(self, value):
        """Shown the Indonesian way: 98,5 and 100, not 98.50 and 100.00."""
        if isinstance(value, Decimal) and value.is_finite():
            return format(value.normalize(), "f").replace(".", ",")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("%", "").strip()
            # A plain number only: Decimal() would also read 1e1 or 1_0 as 10.
            if value and not _PERCENT_LITERAL.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise
        except InvalidOperation:  # pragma: no cover - DecimalField reports it as invalid
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PastDateField(forms.DateField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            widget=forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
            input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
            error_messages={"invalid": _("Tulis tanggal seperti 2025-01-31.")},
            **kwargs,
        )

    def clean(self, value):
        day = super().clean(value)
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        if day is not None and day < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("Tanggal terlalu lama (sebelum tahun 2000)."))
        return day


def _radio() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "form-check-input"})


class UnitFactsForm(forms.Form):
    core_service = forms.ChoiceField(
        label=_("Unit kerja merupakan layanan inti (core service) instansi"),
        choices=YES_NO,
        required=False,
        widget=_radio(),
    )
    significant_impact = forms.ChoiceField(
        label=_("Unit kerja berdampak signifikan pada persepsi publik"),
        choices=YES_NO,
        required=False,
        widget=_radio(),
    )
    tlhp_percent = PercentField(label=_("Penyelesaian tindak lanjut hasil pemeriksaan (TLHP), %"))
    lhkpn_percent = PercentField(label=_("Kepatuhan penyampaian LHKPN, %"))
    lhkasn_percent = PercentField(label=_("Kepatuhan penyampaian LHKASN, %"))
    pencanangan_date = PastDateField(label=_("Tanggal pencanangan Zona Integritas"))
    wbbm_start_date = PastDateField(
        label=_("Tanggal mulai membangun menuju WBBM (hanya untuk target WBBM)")
    )
    sakip_unit = forms.ChoiceField(
        label=_("Predikat SAKIP unit dari evaluasi internal"),
        choices=[("", _("Belum diisi")), *InstansiFacts.Grade.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    has_wbk = forms.ChoiceField(
        label=_("Unit sudah berpredikat Menuju WBK"),
        choices=[("1", _("Ya")), ("0", _("Belum"))],
        widget=_radio(),
    )

    @classmethod
    def initial_from(cls, record, has_wbk: bool) -> dict:
        def yn(value: bool | None) -> str:
            return "" if value is None else ("1" if value else "0")

        initial = {"has_wbk": "1" if has_wbk else "0"}
        if record is not None:
            initial.update(
                core_service=yn(record.core_service),
                significant_impact=yn(record.significant_impact),
                tlhp_percent=record.tlhp_percent,
                lhkpn_percent=record.lhkpn_percent,
                lhkasn_percent=record.lhkasn_percent,
                pencanangan_date=record.pencanangan_date,
                wbbm_start_date=record.wbbm_start_date,
                sakip_unit=record.sakip_unit,
            )
        return initial

    def facts(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data["core_service"] = _yes_no(data["core_service"])
        data["significant_impact"] = _yes_no(data["significant_impact"])
        data.pop("has_wbk")
        return data

    def has_wbk_value(self) -> bool:
        return self.cleaned_data["has_wbk"] == "1"


class InstansiFactsForm(forms.ModelForm):
    spip_maturity_level = forms.TypedChoiceField(
        label=_("Tingkat maturitas SPIP"),
        choices=[("", _("Belum diisi")), *[(str(i), str(i)) for i in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = InstansiFacts
        fields = ["opini_bpk", "sakip_instansi", "indeks_rb", "spip_maturity_level"]
        widgets = {
            "opini_bpk": forms.Select(attrs={"class": "form-select"}),
            "sakip_instansi": forms.Select(attrs={"class": "form-select"}),
            "indeks_rb": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opini_bpk", "sakip_instansi", "indeks_rb"):
            field = self.fields[name]
            field.choices = [("", _("Belum diisi")), *list(field.choices)[1:]]


# --------------------------------------------------------------------------- operator


class OpenAssessmentsForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Unit kerja"),
        queryset=UnitKerja.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu unit kerja.")},
    )
    year = forms.IntegerField(
        label=_("Tahun penilaian"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Tulis tahun dengan empat angka, mis. 2026.")},
    )
    target = forms.ChoiceField(label=_("Target predikat"), choices=Predikat.choices)
    copy_previous = forms.BooleanField(
        label=_("Mulai dari salinan jawaban tahun sebelumnya (bila ada)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, units_queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units_queryset
        self.fields["year"].initial = timezone.localdate().year
