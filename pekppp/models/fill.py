"""What the ULE fills itself: F-01 answers, one video per aspect, and its SKM."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import RulebookVersion
from pekppp.models.instrument import InstrumentAspect, InstrumentIndicator
from pekppp.models.ule import UnitLokus


class F01Answer(models.Model):
    """One F-01 question's answer: "Ya"/"Tidak", a number as text ("12", "87.5"), a choice,
    a list of choices, or free text (see the question's type in the instrument)."""

    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="f01_answers")
    indicator = models.ForeignKey(InstrumentIndicator, on_delete=models.PROTECT, related_name="+")
    question_code = models.CharField(_("kode pertanyaan"), max_length=40)
    value = models.JSONField(_("jawaban"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("jawaban F-01")
        verbose_name_plural = pgettext_lazy("jamak", "jawaban F-01")
        constraints = [
            models.UniqueConstraint(
                fields=["ule", "question_code"], name="f01answer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_code}={self.value}"


class AspectVideo(models.Model):
    """The ULE's video for one aspect (YouTube or another http(s) link) and its declared
    length; the instrument sets the maximum (5 minutes in 2023)."""

    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="videos")
    aspect = models.ForeignKey(InstrumentAspect, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(_("tautan video"), max_length=500)
    duration_seconds = models.PositiveIntegerField(_("durasi (detik)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("video aspek")
        verbose_name_plural = pgettext_lazy("jamak", "video aspek")
        constraints = [
            models.UniqueConstraint(fields=["ule", "aspect"], name="aspectvideo_unique_aspect"),
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0), name="aspectvideo_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="aspectvideo_http_url",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def minutes(self) -> int:
        return self.duration_seconds // 60

    @property
    def seconds(self) -> int:
        return self.duration_seconds % 60

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class SkmMethod(models.TextChoices):
    SPREADSHEET = "spreadsheet", _("Jawaban responden (lembar kerja)")
    AVERAGES = "averages", _("Rata-rata sembilan unsur")


class SkmRecord(models.Model):
    """The ULE's Survei Kepuasan Masyarakat for the period and its result (IKM, mutu), as
    computed by the engine (`result` keeps the exact figures as strings)."""

    ule = models.OneToOneField(UnitLokus, on_delete=models.CASCADE, related_name="skm")
    rulebook = models.ForeignKey(RulebookVersion, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("cara pengisian"), max_length=20, choices=SkmMethod.choices)
    respondents = models.PositiveIntegerField(_("jumlah responden"))
    result = models.JSONField(_("hasil"))
    mutu = models.CharField(_("mutu pelayanan"), max_length=2)
    source_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("SKM ULE")
        verbose_name_plural = pgettext_lazy("jamak", "SKM ULE")
        constraints = [
            models.CheckConstraint(condition=Q(respondents__gt=0), name="skmrecord_has_respondents")
        ]

    def __str__(self) -> str:
        return f"SKM {self.ule} {self.mutu}"
