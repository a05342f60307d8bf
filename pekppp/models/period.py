"""A PEKPPP period (one year of one instansi) and its timeline of stages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import RulebookVersion
from organizations.models import Instansi


class StageKind(models.TextChoices):
    """The stages of the PEKPPP Mandiri timeline (seed slides, "Lini masa PEKPPP TA. 2023")."""

    PENENTUAN_ULE = "penentuan_ule", _("Penentuan Unit Lokus Evaluasi (ULE)")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    PRA_EVALUASI = "pra_evaluasi", _("Pra-evaluasi")
    PEMBINAAN = "pembinaan", _("Pembinaan")
    PELAKSANAAN = "pelaksanaan", _("Pelaksanaan PEKPPP Mandiri")
    LAPORAN_HASIL = "laporan_hasil", _("Penyampaian laporan hasil evaluasi")
    VERIFIKASI = "verifikasi", _("Verifikasi dan validasi")
    PENERBITAN = "penerbitan", _("Penerbitan IPP dan pemberian penghargaan")


class FormKind(models.TextChoices):
    """Forms that open and close with a stage."""

    NOMINASI = "nominasi", _("Pengusulan ULE")
    PRA_EVALUASI = "pra_evaluasi", _("Formulir pra-evaluasi")
    F01 = "f01", _("F-01 isian mandiri ULE")
    F02 = "f02", _("F-02 penilaian evaluator")
    F03 = "f03", _("F-03 survei pengguna layanan")


# Which stage opens which form. F-01 (with its bukti dukung, videos and SKM) and the public
# F-03 survey run during the PEKPPP Mandiri itself; the evaluator scores F-02 and writes the
# recommendations while preparing the report. Follow-up of recommendations is never closed.
FORM_STAGE: dict[str, str] = {
    FormKind.NOMINASI: StageKind.PENENTUAN_ULE,
    FormKind.PRA_EVALUASI: StageKind.PRA_EVALUASI,
    FormKind.F01: StageKind.PELAKSANAAN,
    FormKind.F02: StageKind.LAPORAN_HASIL,
    FormKind.F03: StageKind.PELAKSANAAN,
}


class Period(models.Model):
    instansi = models.ForeignKey(
        Instansi,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="pekppp_periods",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    instrument = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("instrumen PEKPPP"),
        on_delete=models.PROTECT,
        related_name="pekppp_periods",
        limit_choices_to={"kind": "pekppp"},
    )
    skm_rulebook = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("aturan SKM"),
        on_delete=models.PROTECT,
        related_name="pekppp_skm_periods",
        limit_choices_to={"kind": "skm"},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("periode PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "periode PEKPPP")
        ordering = ["-year", "instansi__name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="pekppp_period_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="pekppp_period_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"PEKPPP {self.year} · {self.instansi}"


class Stage(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("tahap"), max_length=20, choices=StageKind.choices)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("batas akhir"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahap PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "tahap PEKPPP")
        ordering = ["period", "starts_on", "ends_on"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="pekppp_stage_unique_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pekppp_stage_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on:%d-%m-%Y} s.d. {self.ends_on:%d-%m-%Y})"

    def reopened_until(self) -> dt.date | None:
        """The latest day a reopening keeps this stage open (uses prefetched reopenings)."""
        days = [r.open_until for r in self.reopenings.all()]
        return max(days) if days else None

    @property
    def last_day(self) -> dt.date:
        until = self.reopened_until()
        return max(self.ends_on, until) if until else self.ends_on

    def is_open(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.starts_on <= on <= self.ends_on:
            return True
        until = self.reopened_until()
        return until is not None and on <= until and on >= self.starts_on

    def open_until(self, on: dt.date | None = None) -> dt.date | None:
        """The last open day counted from `on`, or None when closed."""
        on = on or timezone.localdate()
        if not self.is_open(on):
            return None
        until = self.reopened_until()
        return max(self.ends_on, until) if until else self.ends_on


class StageReopening(models.Model):
    """The operator reopened a stage: append-only, the record of who, when, until and why."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="reopenings")
    open_until = models.DateField(_("dibuka sampai"))
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("pembukaan kembali tahap")
        verbose_name_plural = pgettext_lazy("jamak", "pembukaan kembali tahap")
        ordering = ["stage", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.stage} -> {self.open_until}"
