"""The TPI's side of an assessment: its own answers and notes, its verified eligibility facts, the
immutable snapshot stored at finalisation, and the national team's decision.

Every change goes through assessments.evaluation (named, atomic, audited services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assessments.models.assessment import (
    Assessment,
    Predikat,
    UnitFactsFields,
    percent_range_condition,
)
from assessments.models.rulebook import LkeItem, RulebookVersion

# Verification codes: no 0/O, 1/I/L, so that a code read aloud or typed from paper is unambiguous.
VERIFICATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 12


class EvaluatorAnswer(models.Model):
    """The TPI's answer to one LKE item, with its catatan. One row per item for the whole TPI
    team; `revision` guards against one evaluator silently overwriting another's edit."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evaluator_answers"
    )
    item = models.ForeignKey(
        LkeItem, verbose_name=_("butir"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(_("jawaban TPI"), max_length=20, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("jawaban TPI")
        verbose_name_plural = pgettext_lazy("jamak", "jawaban TPI")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="evaluatoranswer_unique_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}={self.value}"


class EvaluatorFacts(UnitFactsFields):
    """The unit-level eligibility facts as verified by the TPI (started from the unit's own
    record when the review opens)."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="tpi_facts"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("data kriteria hasil verifikasi TPI")
        verbose_name_plural = pgettext_lazy("jamak", "data kriteria hasil verifikasi TPI")
        constraints = [
            models.CheckConstraint(
                condition=percent_range_condition(), name="evaluatorfacts_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}"


class AssessmentSnapshot(models.Model):
    """What was final: the rulebook version, every self and TPI answer, every evidence
    revision's SHA-256, both results and verdicts, who finalised and when.

    Written once by `assessments.evaluation.finalise_assessment` and never updated; the content
    keys are a contract with the PDF report (see `assessments.evaluation.snapshot_content`)."""

    assessment = models.OneToOneField(
        Assessment, verbose_name=_("penilaian"), on_delete=models.PROTECT, related_name="snapshot"
    )
    rulebook = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("buku aturan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("isi"))
    content_sha256 = models.CharField(_("SHA-256 isi"), max_length=64)
    verification_code = models.CharField(
        _("kode verifikasi"), max_length=VERIFICATION_LENGTH, unique=True
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("difinalkan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("difinalkan"))

    class Meta:
        verbose_name = _("rekaman final penilaian")
        verbose_name_plural = pgettext_lazy("jamak", "rekaman final penilaian")
        ordering = ["-finalised_at"]

    def __str__(self) -> str:
        return f"{self.assessment} [{self.verification_code}]"

    def save(self, *args, **kwargs) -> None:
        # A guard, not behaviour: the record of what was final can only be created.
        if not self._state.adding:
            raise ValueError("AssessmentSnapshot tidak dapat diubah setelah dibuat.")
        super().save(*args, **kwargs)


class AssessmentDecision(models.Model):
    """The national team's (TPN) decision on a proposed assessment, recorded by the operator."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="decision")
    predikat = models.CharField(_("predikat"), max_length=4, choices=Predikat.choices)
    granted = models.BooleanField(_("predikat diberikan"))
    decree_number = models.CharField(_("nomor keputusan"), max_length=200, blank=True)
    decided_on = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keputusan TPN")
        verbose_name_plural = pgettext_lazy("jamak", "keputusan TPN")

    def __str__(self) -> str:
        return f"{self.assessment}: {'ya' if self.granted else 'tidak'}"
