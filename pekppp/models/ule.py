"""Unit Lokus Evaluasi (ULE): a unit nominated for one period and scope, and its own data."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import UnitKerja
from pekppp.models.period import Period


class ServiceScope(models.TextChoices):
    BARANG = "barang", _("Barang publik")
    JASA = "jasa", _("Jasa publik")
    ADMINISTRATIF = "administratif", _("Administratif")


class F02Status(models.TextChoices):
    DRAFT = "draft", _("Sedang dinilai")
    FINAL = "final", _("Final")


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)


class UnitLokus(models.Model):
    period = models.ForeignKey(
        Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="ules"
    )
    unit = models.ForeignKey(
        UnitKerja,
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="pekppp_ules",
    )
    scope = models.CharField(_("ruang lingkup"), max_length=20, choices=ServiceScope.choices)
    service_name = models.CharField(
        _("layanan yang dievaluasi"),
        max_length=200,
        help_text=_("Nama layanan utama ULE, misalnya: Layanan legalisir ijazah."),
    )
    # Nomination requirements (seed slides, "Persyaratan lokus evaluasi").
    never_awarded = models.BooleanField(
        _("belum pernah mendapatkan penghargaan pelayanan prima"), default=False
    )
    core_business = models.BooleanField(_("termasuk core bisnis instansi"), default=False)
    represents_scope = models.BooleanField(
        _("merepresentasikan ruang lingkup pelayanan yang dipilih"), default=False
    )
    blend_public = models.BooleanField(
        _("gabungkan nilai F-03 ke dalam IPP (75% evaluator / 25% publik)"),
        default=False,
        help_text=_(
            "Praktik sebagian aplikasi daerah, bukan ketentuan regulasi. Bila tidak dicentang, "
            "IPP adalah nilai evaluator (F-02) dan rata-rata F-03 ditampilkan di sampingnya."
        ),
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="EvaluatorAssignment",
        through_fields=("ule", "evaluator"),
        related_name="pekppp_ules",
        verbose_name=_("evaluator"),
    )
    survey_token = models.CharField(
        _("token survei publik"),
        max_length=64,
        unique=True,
        default=new_survey_token,
        editable=False,
    )
    # Accepted F-03 responses; raised by one conditional UPDATE so the cap holds under load.
    survey_count = models.PositiveSmallIntegerField(_("jumlah respons F-03"), default=0)
    f02_status = models.CharField(
        _("status F-02"), max_length=10, choices=F02Status.choices, default=F02Status.DRAFT
    )
    finalized_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("potret hasil final"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit lokus evaluasi (ULE)")
        verbose_name_plural = pgettext_lazy("jamak", "unit lokus evaluasi (ULE)")
        ordering = ["period", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["period", "scope"], name="ule_unique_scope_per_period"),
            models.UniqueConstraint(fields=["period", "unit"], name="ule_unique_unit_per_period"),
            models.CheckConstraint(
                condition=Q(f02_status="draft")
                | Q(snapshot__isnull=False, finalized_at__isnull=False),
                name="ule_final_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.get_scope_display()} · {self.period.year}"

    @property
    def is_final(self) -> bool:
        return self.f02_status == F02Status.FINAL

    @property
    def meets_requirements(self) -> bool:
        return self.never_awarded and self.core_business and self.represents_scope

    def is_assigned(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "assignments" in cache:
            return any(a.evaluator_id == user.pk for a in self.assignments.all())
        return self.assignments.filter(evaluator_id=user.pk).exists()


class EvaluatorAssignment(models.Model):
    ule = models.ForeignKey(UnitLokus, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator PEKPPP"),
        on_delete=models.CASCADE,
        related_name="pekppp_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan evaluator PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "penugasan evaluator PEKPPP")
        constraints = [
            models.UniqueConstraint(fields=["ule", "evaluator"], name="pekppp_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} -> {self.ule}"


class PraEvaluasi(models.Model):
    """The pra-evaluasi form: the ULE's data and questions on its service condition."""

    ule = models.OneToOneField(UnitLokus, on_delete=models.CASCADE, related_name="pra_evaluasi")
    service_types = models.TextField(
        _("jenis pelayanan yang diselenggarakan"),
        help_text=_("Satu jenis pelayanan per baris."),
    )
    service_types_count = models.PositiveIntegerField(_("jumlah jenis pelayanan"))
    users_per_year = models.PositiveIntegerField(_("jumlah pengguna layanan per tahun"))
    staff_count = models.PositiveIntegerField(_("jumlah pelaksana layanan"))
    service_hours = models.CharField(_("waktu pelayanan"), max_length=200)
    address = models.CharField(_("alamat lokasi layanan"), max_length=300)
    contact = models.CharField(_("narahubung (jabatan dan telepon kantor)"), max_length=200)
    has_standar_pelayanan = models.BooleanField(
        _("sudah memiliki Standar Pelayanan yang ditetapkan")
    )
    has_maklumat = models.BooleanField(_("sudah memiliki Maklumat Pelayanan"))
    skm_last_year = models.BooleanField(_("melaksanakan SKM dalam satu tahun terakhir"))
    has_complaint_channel = models.BooleanField(
        _("memiliki sarana konsultasi dan pengaduan (termasuk SP4N-LAPOR!)")
    )
    has_online_service = models.BooleanField(_("memiliki sistem informasi/layanan elektronik"))
    has_vulnerable_facilities = models.BooleanField(_("menyediakan sarana bagi kelompok rentan"))
    has_innovation = models.BooleanField(_("memiliki inovasi pelayanan publik"))
    main_problems = models.TextField(_("kendala utama dalam penyelenggaraan layanan"))
    improvement_plans = models.TextField(_("rencana perbaikan layanan"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("pra-evaluasi")
        verbose_name_plural = pgettext_lazy("jamak", "pra-evaluasi")

    def __str__(self) -> str:
        return f"{self.ule}"


class PekpppEvent(models.Model):
    """Append-only audit record of every PEKPPP state change."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="events")
    ule = models.ForeignKey(
        UnitLokus, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("tindakan"), max_length=40)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat PEKPPP")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat PEKPPP")
        ordering = ["period", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
