"""Rulebooks as versioned data: the regulation's tree, options and thresholds, loaded from YAML.

The exact content of a version is kept (`content`, `content_hash`); the engines score from that
content, and the tree rows below give the pages and answers something to point at. A version is
never changed in place once loaded (see assessments/rulebooks.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RulebookKind(models.TextChoices):
    LKE = "lke", _("LKE Zona Integritas")
    PEKPPP = "pekppp", _("Instrumen PEKPPP")
    ELIGIBILITY = "eligibility", _("Kriteria pengajuan")
    SKM = "skm", _("Survei Kepuasan Masyarakat")


class Rulebook(models.Model):
    kind = models.CharField(_("jenis"), max_length=20, choices=RulebookKind.choices)
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=300)

    class Meta:
        verbose_name = _("buku aturan")
        verbose_name_plural = pgettext_lazy("jamak", "buku aturan")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class RulebookVersionQuerySet(models.QuerySet["RulebookVersion"]):
    def current(self, kind: str) -> RulebookVersion:
        return self.select_related("rulebook").get(kind=kind, is_current=True)


class RulebookVersion(models.Model):
    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("buku aturan"), on_delete=models.PROTECT, related_name="versions"
    )
    # Copied from the rulebook so that "one current version per kind" is a database constraint.
    kind = models.CharField(_("jenis"), max_length=20, choices=RulebookKind.choices)
    version = models.CharField(_("versi"), max_length=40)
    title = models.CharField(_("judul"), max_length=300)
    regulation = models.CharField(_("dasar regulasi"), max_length=400, blank=True)
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    is_current = models.BooleanField(_("versi yang berlaku"), default=False)
    notes = models.TextField(_("catatan"), blank=True)
    content = models.JSONField(_("isi"))
    content_hash = models.CharField(_("SHA-256 isi"), max_length=64)
    source_file = models.CharField(_("berkas sumber"), max_length=300)
    loaded_at = models.DateTimeField(_("dimuat"), auto_now_add=True)

    objects = RulebookVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi buku aturan")
        verbose_name_plural = pgettext_lazy("jamak", "versi buku aturan")
        ordering = ["rulebook__code", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "version"], name="rulebookversion_unique_version"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_current=True),
                name="rulebookversion_one_current_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rulebook.code} v{self.version}"

    @property
    def code(self) -> str:
        return self.rulebook.code


class LkeArea(models.Model):
    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="lke_areas")
    key = models.SlugField(_("kunci"), max_length=60)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("area perubahan")
        verbose_name_plural = pgettext_lazy("jamak", "area perubahan")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="lkearea_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class LkeSubArea(models.Model):
    """A sub-area of one part (Pemenuhan/Reform) of one area; groups (e.g. LHKPN/LHKASN) too."""

    version = models.ForeignKey(
        RulebookVersion, on_delete=models.CASCADE, related_name="lke_sub_areas"
    )
    area = models.ForeignKey(LkeArea, on_delete=models.CASCADE, related_name="sub_areas")
    part_key = models.SlugField(_("bagian"), max_length=30)
    part_name = models.CharField(_("nama bagian"), max_length=60)
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=300)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("sub-area")
        verbose_name_plural = pgettext_lazy("jamak", "sub-area")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="lkesubarea_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LkeItemKind(models.TextChoices):
    INDICATOR = "indicator", _("Indikator pengungkit")
    INPUT = "input", _("Isian jumlah")
    HASIL = "hasil", _("Indikator hasil")


class LkeItem(models.Model):
    """Anything a unit answers: a scored indicator, a count input of a percentage indicator, or
    a Hasil figure."""

    version = models.ForeignKey(RulebookVersion, on_delete=models.CASCADE, related_name="lke_items")
    kind = models.CharField(_("jenis"), max_length=12, choices=LkeItemKind.choices)
    code = models.CharField(_("kode"), max_length=40)
    type = models.CharField(_("tipe jawaban"), max_length=20)
    text = models.TextField(_("teks"))
    criterion = models.TextField(_("kriteria"), blank=True)
    area = models.ForeignKey(
        LkeArea, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    sub_area = models.ForeignKey(
        LkeSubArea, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    owner = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inputs",
        help_text=_("Indikator persentase yang memakai isian jumlah ini."),
    )
    hasil_component = models.CharField(_("komponen hasil"), max_length=60, blank=True)
    hasil_key = models.CharField(_("kunci hasil"), max_length=60, blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=8, decimal_places=4, null=True, blank=True)
    scale_max = models.DecimalField(
        _("skala maksimum"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    evidence_hints = models.JSONField(_("bukti dukung yang diharapkan"), default=list, blank=True)
    workbook_row = models.PositiveIntegerField(_("baris workbook"), null=True, blank=True)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("butir LKE")
        verbose_name_plural = pgettext_lazy("jamak", "butir LKE")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="lkeitem_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def evidence_hint_list(self) -> list[str]:
        """The expected bukti dukung, without blanks (the rulebook file may list none)."""
        return [h for h in (self.evidence_hints or []) if isinstance(h, str) and h.strip()]


class LkeOption(models.Model):
    item = models.ForeignKey(LkeItem, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("pilihan"), max_length=10)
    value = models.DecimalField(_("nilai"), max_digits=6, decimal_places=4)
    criterion = models.TextField(_("kriteria"), blank=True)
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = pgettext_lazy("jamak", "pilihan jawaban")
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="lkeoption_unique_key")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.key}"


class PredikatThreshold(models.Model):
    version = models.ForeignKey(
        RulebookVersion, on_delete=models.CASCADE, related_name="thresholds"
    )
    predikat = models.CharField(_("predikat"), max_length=10)
    predikat_name = models.CharField(_("nama predikat"), max_length=60)
    criterion = models.CharField(_("kriteria"), max_length=60)
    minimum = models.DecimalField(
        _("minimum"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    minimum_percent = models.DecimalField(
        _("minimum persen"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveIntegerField(_("urutan"))

    class Meta:
        verbose_name = _("ambang predikat")
        verbose_name_plural = pgettext_lazy("jamak", "ambang predikat")
        ordering = ["version", "predikat", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "predikat", "criterion"],
                name="predikatthreshold_unique_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.predikat} {self.criterion}"
