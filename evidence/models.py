"""Bukti dukung: a unit's evidence items, their append-only file revisions, and where they are
attached (which indicator of which assessment) with the evaluator's review status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment, LkeItem
from organizations.models import UnitKerja


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class ReviewStatus(models.TextChoices):
    BELUM_DIREVIU = "belum_direviu", _("Belum direviu")
    DITERIMA = "diterima", _("Diterima")
    PERLU_PERBAIKAN = "perlu_perbaikan", _("Perlu perbaikan")


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def for_unit(self, unit: UnitKerja) -> EvidenceQuerySet:
        return self.filter(unit=unit)


class Evidence(models.Model):
    """One document (or link) of a unit; it can support several indicators and assessments."""

    unit = models.ForeignKey(
        UnitKerja, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("judul"), max_length=300)
    document_date = models.DateField(
        _("tanggal dokumen"), help_text=_("Tanggal dokumen mulai berlaku (bukan tanggal unggah).")
    )
    page_reference = models.CharField(
        _("halaman/bagian"), max_length=200, blank=True, help_text=_("Misalnya: hlm. 4-6, Bab II.")
    )
    link_url = models.URLField(_("tautan"), max_length=2000, blank=True)
    current_revision = models.ForeignKey(
        "EvidenceRevision",
        verbose_name=_("revisi terkini"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "bukti dukung")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(link_url="")) | (Q(kind="file") & Q(link_url="")),
                name="evidence_link_url_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE


class EvidenceRevision(models.Model):
    """One uploaded file of an evidence item. Append-only: a replacement is a new revision."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revisi ke"))
    storage_name = models.CharField(_("nama simpan"), max_length=300, unique=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    size = models.BigIntegerField(_("ukuran (bita)"))
    content_type = models.CharField(_("jenis isi"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("revisi bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "revisi bukti dukung")
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "number"], name="evidencerevision_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="evidencerevision_number_gte_1"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidencerevision_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} r{self.number}"

    @property
    def extension(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1].lower()

    @property
    def can_preview(self) -> bool:
        from evidence.validators import PREVIEWABLE_TYPES

        return self.content_type in PREVIEWABLE_TYPES


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def acceptable(self) -> AttachmentQuerySet:
        """Attachments that support a score: not marked perlu perbaikan."""
        return self.exclude(status=ReviewStatus.PERLU_PERBAIKAN)


class Attachment(models.Model):
    """An evidence item supporting one indicator of one assessment, with its review status.

    `revision` pins the file the assessment was submitted with: replacing the file moves only
    the attachments of assessments the unit can still edit to the new revision."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="attachments")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_attachments"
    )
    item = models.ForeignKey(
        LkeItem, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    revision = models.ForeignKey(
        EvidenceRevision, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    status = models.CharField(
        _("status reviu"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.BELUM_DIREVIU,
    )
    review_note = models.TextField(_("catatan reviu"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("direviu"), null=True, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("lampiran bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "lampiran bukti dukung")
        ordering = ["assessment", "item__order", "attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "evidence"],
                name="attachment_unique_evidence_per_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="perlu_perbaikan") | ~Q(review_note=""),
                name="attachment_perlu_perbaikan_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} -> {self.item.code}"

    @property
    def is_acceptable(self) -> bool:
        return self.status != ReviewStatus.PERLU_PERBAIKAN


class EvidenceEvent(models.Model):
    """Append-only record of what happened to a unit's evidence (kept after a deletion)."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    evidence_title = models.CharField(_("judul bukti"), max_length=300)
    action = models.CharField(_("tindakan"), max_length=40)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat bukti dukung")
        ordering = ["unit", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.evidence_title}"
