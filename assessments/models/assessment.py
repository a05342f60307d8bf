"""A unit's ZI assessment for one year and target predikat, and the unit's answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.models.rulebook import LkeItem, RulebookVersion
from organizations.models import Instansi, UnitKerja


class Predikat(models.TextChoices):
    WBK = "WBK", _("Menuju WBK")
    WBBM = "WBBM", _("Menuju WBBM")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Dikirim ke TPI")
    IN_REVIEW = "in_review", _("Dinilai TPI")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    FINAL = "final", _("Final")
    PROPOSED = "proposed", _("Diusulkan ke TPN")
    DECIDED = "decided", _("Diputuskan")


# States in which the unit team may change its own answers.
UNIT_EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# States after finalisation: a snapshot exists and nothing can be changed any more.
FINAL_STATES = frozenset({Status.FINAL, Status.PROPOSED, Status.DECIDED})


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_year(self, year: int) -> AssessmentQuerySet:
        return self.filter(year=year)


class Assessment(models.Model):
    unit = models.ForeignKey(
        UnitKerja,
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    target = models.CharField(_("target predikat"), max_length=4, choices=Predikat.choices)
    rulebook = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("buku aturan"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian ZI")
        verbose_name_plural = pgettext_lazy("jamak", "penilaian ZI")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "target"], name="assessment_unique_unit_year_target"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="assessment_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} ({self.get_target_display()})"

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status in UNIT_EDITABLE

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATES

    @property
    def reference_date(self):
        """The date eligibility durations are measured to: the end of the assessment year."""
        import datetime as dt

        return dt.date(self.year, 12, 31)


class Answer(models.Model):
    """The unit's own answer to one LKE item. `revision` guards against silent overwrites."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        LkeItem, verbose_name=_("butir"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(_("jawaban"), max_length=20, blank=True)
    note = models.TextField(_("penjelasan"), blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("jawaban unit")
        verbose_name_plural = pgettext_lazy("jamak", "jawaban unit")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}={self.value}"


class Assignment(models.Model):
    """A TPI member assigned to evaluate an assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator TPI"),
        on_delete=models.CASCADE,
        related_name="tpi_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), auto_now_add=True)

    # Assigning and removing evaluators is part of the assessment's audit trail.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan TPI")
        verbose_name_plural = pgettext_lazy("jamak", "penugasan TPI")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "evaluator"], name="assignment_unique_evaluator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} -> {self.assessment}"


class AssessmentEvent(models.Model):
    """Append-only record of every state change: who, when, from, to and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari status"), max_length=12, blank=True)
    to_status = models.CharField(_("ke status"), max_length=12, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat status")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}->{self.to_status}"


class InstansiFacts(models.Model):
    """Instansi-level eligibility facts for one year, entered by the operator."""

    class OpiniBpk(models.TextChoices):
        WTP = "WTP", _("Wajar Tanpa Pengecualian (WTP)")
        WDP = "WDP", _("Wajar Dengan Pengecualian (WDP)")
        TW = "TW", _("Tidak Wajar (TW)")
        TMP = "TMP", _("Tidak Menyatakan Pendapat (TMP)")

    class Grade(models.TextChoices):
        AA = "AA", "AA"
        A = "A", "A"
        BB = "BB", "BB"
        B = "B", "B"
        CC = "CC", "CC"
        C = "C", "C"
        D = "D", "D"

    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="facts")
    year = models.PositiveSmallIntegerField(_("tahun"))
    opini_bpk = models.CharField(_("opini BPK"), max_length=3, choices=OpiniBpk.choices, blank=True)
    sakip_instansi = models.CharField(
        _("predikat SAKIP instansi"), max_length=2, choices=Grade.choices, blank=True
    )
    indeks_rb = models.CharField(_("Indeks RB"), max_length=2, choices=Grade.choices, blank=True)
    spip_maturity_level = models.PositiveSmallIntegerField(
        _("tingkat maturitas SPIP (1-5)"), null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("data kriteria instansi")
        verbose_name_plural = pgettext_lazy("jamak", "data kriteria instansi")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="instansifacts_unique_year"),
            models.CheckConstraint(
                condition=Q(spip_maturity_level__isnull=True)
                | Q(spip_maturity_level__gte=1, spip_maturity_level__lte=5),
                name="instansifacts_spip_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instansi} {self.year}"


def percent_range_condition() -> Q:
    """The eligibility percentages are whole percent, 0..100 (or not filled)."""
    return (
        (Q(tlhp_percent__isnull=True) | Q(tlhp_percent__gte=0, tlhp_percent__lte=100))
        & (Q(lhkpn_percent__isnull=True) | Q(lhkpn_percent__gte=0, lhkpn_percent__lte=100))
        & (Q(lhkasn_percent__isnull=True) | Q(lhkasn_percent__gte=0, lhkasn_percent__lte=100))
    )


class UnitFactsFields(models.Model):
    """The unit-level eligibility facts, shared by the unit's own record and the TPI's verified
    record (assessments.models.evaluation.EvaluatorFacts), so that both read alike."""

    core_service = models.BooleanField(
        _("unit merupakan layanan inti instansi"), null=True, blank=True
    )
    significant_impact = models.BooleanField(
        _("unit berdampak signifikan pada persepsi publik"), null=True, blank=True
    )
    tlhp_percent = models.DecimalField(
        _("TLHP (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    lhkpn_percent = models.DecimalField(
        _("kepatuhan LHKPN (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    lhkasn_percent = models.DecimalField(
        _("kepatuhan LHKASN (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pencanangan_date = models.DateField(_("tanggal pencanangan ZI"), null=True, blank=True)
    wbbm_start_date = models.DateField(_("mulai membangun menuju WBBM"), null=True, blank=True)
    sakip_unit = models.CharField(
        _("predikat SAKIP internal unit"),
        max_length=2,
        choices=InstansiFacts.Grade.choices,
        blank=True,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True


class UnitFactsRecord(UnitFactsFields):
    """Unit-level eligibility facts of one assessment, entered by the unit team."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="facts")

    class Meta:
        verbose_name = _("data kriteria unit")
        verbose_name_plural = pgettext_lazy("jamak", "data kriteria unit")
        constraints = [
            models.CheckConstraint(
                condition=percent_range_condition(), name="unitfacts_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}"
