"""The evaluator's side: F-02 scores, recommendations and their follow-up; the public F-03."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pekppp.models.instrument import InstrumentAspect, InstrumentIndicator
from pekppp.models.ule import UnitLokus


class F02Score(models.Model):
    """The evaluator team's score (one of the six rubric levels) and note for one indicator."""

    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="f02_scores")
    indicator = models.ForeignKey(InstrumentIndicator, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("skor"), null=True, blank=True)
    note = models.TextField(_("catatan evaluator"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("nilai F-02")
        verbose_name_plural = pgettext_lazy("jamak", "nilai F-02")
        constraints = [
            models.UniqueConstraint(fields=["ule", "indicator"], name="f02score_unique_indicator"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=5),
                name="f02score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.score}"


class F03Response(models.Model):
    """One anonymous service user's F-03 answers. Nothing about the respondent is stored:
    no IP address, no browser, no cookie value, no name; only the day of the answer."""

    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="f03_responses")
    number = models.PositiveSmallIntegerField(_("nomor respons"))
    answers = models.JSONField(_("jawaban"))
    submitted_on = models.DateField(_("tanggal"))

    class Meta:
        verbose_name = _("respons F-03")
        verbose_name_plural = pgettext_lazy("jamak", "respons F-03")
        ordering = ["ule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ule", "number"], name="f03response_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="f03response_number_positive"),
        ]

    def __str__(self) -> str:
        return f"F-03 #{self.number} {self.ule_id}"


class FollowUpStatus(models.TextChoices):
    BELUM = "belum", _("Belum ditindaklanjuti")
    PROSES = "proses", _("Dalam proses")
    SELESAI = "selesai", _("Selesai")


class Recommendation(models.Model):
    """The evaluator's recommendation on one indicator or one aspect, and the ULE's follow-up."""

    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="recommendations")
    indicator = models.ForeignKey(
        InstrumentIndicator,
        verbose_name=_("indikator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aspect = models.ForeignKey(
        InstrumentAspect,
        verbose_name=_("aspek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("rekomendasi"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # The ULE's follow-up.
    status = models.CharField(
        _("status tindak lanjut"),
        max_length=10,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.BELUM,
    )
    plan = models.TextField(_("rencana tindak lanjut"), blank=True)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_at = models.DateTimeField(_("tindak lanjut diperbarui"), null=True, blank=True)

    class Meta:
        verbose_name = _("rekomendasi PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "rekomendasi PEKPPP")
        ordering = ["ule", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=True) & Q(aspect__isnull=False))
                | (Q(indicator__isnull=False) & Q(aspect__isnull=True)),
                name="recommendation_indicator_or_aspect",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def target_label(self) -> str:
        if self.indicator_id:
            return f"{_('Indikator')} {self.indicator.code}"
        return f"{_('Aspek')} {self.aspect.code}. {self.aspect.name}"

    @property
    def is_open(self) -> bool:
        return self.status != FollowUpStatus.SELESAI
