"""PEKPPP instrument as versioned data (loaded by `load_rulebooks`, see assessments/rulebooks.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import RulebookVersion


class InstrumentAspect(models.Model):
    version = models.ForeignKey(
        RulebookVersion, on_delete=models.CASCADE, related_name="pekppp_aspects"
    )
    code = models.CharField(_("kode"), max_length=10)
    key = models.SlugField(_("kunci"), max_length=60)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), max_digits=6, decimal_places=2)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("aspek PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "aspek PEKPPP")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="instrumentaspect_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class InstrumentIndicator(models.Model):
    aspect = models.ForeignKey(
        InstrumentAspect, on_delete=models.CASCADE, related_name="indicators"
    )
    version = models.ForeignKey(
        RulebookVersion, on_delete=models.CASCADE, related_name="pekppp_indicators"
    )
    code = models.CharField(_("kode"), max_length=20)
    number = models.PositiveIntegerField(_("nomor"))
    text = models.TextField(_("teks"))
    weight = models.DecimalField(_("bobot dalam aspek (%)"), max_digits=6, decimal_places=2)
    evidence_hints = models.JSONField(_("bukti dukung yang diharapkan"), default=list, blank=True)
    f01_questions = models.JSONField(_("pertanyaan F-01"), default=list, blank=True)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("indikator PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "indikator PEKPPP")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="instrumentindicator_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.code


class RubricLevel(models.Model):
    indicator = models.ForeignKey(
        InstrumentIndicator, on_delete=models.CASCADE, related_name="rubric"
    )
    score = models.PositiveSmallIntegerField(_("skor"))
    text = models.TextField(_("deskripsi"))

    class Meta:
        verbose_name = _("tingkat rubrik")
        verbose_name_plural = pgettext_lazy("jamak", "tingkat rubrik")
        ordering = ["indicator", "score"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "score"], name="rubriclevel_unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.score}"


class IppBand(models.Model):
    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="ipp_bands")
    grade = models.CharField(_("kategori"), max_length=4)
    minimum = models.DecimalField(_("minimum"), max_digits=4, decimal_places=2)
    maximum = models.DecimalField(_("maksimum"), max_digits=4, decimal_places=2)
    label = models.CharField(_("predikat"), max_length=60)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("rentang IPP")
        verbose_name_plural = pgettext_lazy("jamak", "rentang IPP")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "grade"], name="ippband_unique_grade")
        ]

    def __str__(self) -> str:
        return f"{self.grade} {self.minimum}-{self.maximum}"


class F03Item(models.Model):
    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="f03_items")
    code = models.CharField(_("kode"), max_length=20)
    aspect_code = models.CharField(_("aspek"), max_length=10)
    text = models.TextField(_("teks"))
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("butir F-03")
        verbose_name_plural = pgettext_lazy("jamak", "butir F-03")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="f03item_unique_code")
        ]

    def __str__(self) -> str:
        return self.code
