"""Bukti dukung of PEKPPP: items of the unit's evidence library (evidence app) attached to an
F-01 indicator or to the follow-up of a recommendation. The files, their validation, storage,
revisions and the permission-checked download belong to the evidence app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pekppp.models.evaluation import Recommendation
from pekppp.models.instrument import InstrumentIndicator
from pekppp.models.ule import UnitLokus


class F01Attachment(models.Model):
    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="f01_attachments")
    indicator = models.ForeignKey(
        InstrumentIndicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    # The unit owns its library: deleting an item there removes it here too; a final result
    # keeps the list of what the evaluator saw in its snapshot.
    evidence = models.ForeignKey(
        "evidence.Evidence", on_delete=models.CASCADE, related_name="pekppp_f01_attachments"
    )
    hint = models.CharField(
        _("dokumen yang dipenuhi"),
        max_length=300,
        blank=True,
        help_text=_("Salah satu bukti dukung yang diharapkan instrumen; kosong bila lainnya."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung F-01")
        verbose_name_plural = pgettext_lazy("jamak", "bukti dukung F-01")
        ordering = ["ule", "indicator__order", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ule", "indicator", "evidence"], name="f01attachment_unique_evidence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.evidence}"


class FollowUpAttachment(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="attachments"
    )
    evidence = models.ForeignKey(
        "evidence.Evidence", on_delete=models.CASCADE, related_name="pekppp_follow_up_attachments"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("bukti tindak lanjut")
        verbose_name_plural = pgettext_lazy("jamak", "bukti tindak lanjut")
        ordering = ["recommendation", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "evidence"], name="followupattachment_unique_evidence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.evidence}"
