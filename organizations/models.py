from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instansi(models.Model):
    class Kind(models.TextChoices):
        KEMENTERIAN_LEMBAGA = "kementerian_lembaga", _("Kementerian/Lembaga")
        PEMERINTAH_DAERAH = "pemerintah_daerah", _("Pemerintah Daerah")
        LAINNYA = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = pgettext_lazy("jamak", "instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKerjaQuerySet(models.QuerySet["UnitKerja"]):
    def for_instansi(self, instansi: Instansi) -> UnitKerjaQuerySet:
        return self.filter(instansi=instansi)


class UnitKerja(models.Model):
    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("nama unit kerja"), max_length=200)
    code = models.CharField(
        _("kode"), max_length=40, help_text=_("Kode singkat unit, unik dalam satu instansi.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail unit"), blank=True)
    head_name = models.CharField(_("nama kepala unit"), max_length=200, blank=True)
    has_wbk = models.BooleanField(
        _("sudah berpredikat Menuju WBK"),
        default=False,
        help_text=_("Diisi otomatis bila keputusan nasional memberikan predikat Menuju WBK."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = UnitKerjaQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = pgettext_lazy("jamak", "unit kerja")
        ordering = ["instansi__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "code"], name="unitkerja_unique_code_per_instansi"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="unitkerja_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Role(models.TextChoices):
    TIM_UNIT = "tim_unit", _("Tim Kerja unit")
    PIMPINAN_UNIT = "pimpinan_unit", _("Pimpinan unit")
    TPI = "tpi", _("Tim Penilai Internal (TPI)")
    PIMPINAN_INSTANSI = "pimpinan_instansi", _("Pimpinan instansi")
    OPERATOR = "operator", _("Operator portal")
    EVALUATOR_PEKPPP = "evaluator_pekppp", _("Evaluator PEKPPP (Biro Organisasi)")


UNIT_ROLES = frozenset({Role.TIM_UNIT, Role.PIMPINAN_UNIT})
INSTANSI_ROLES = frozenset({Role.TPI, Role.PIMPINAN_INSTANSI, Role.OPERATOR, Role.EVALUATOR_PEKPPP})


class Membership(models.Model):
    """A user's role within an instansi; unit roles also name the unit they belong to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        UnitKerja,
        verbose_name=_("unit kerja"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_(
            "Wajib untuk Tim Kerja dan Pimpinan unit; kosong untuk peran tingkat instansi."
        ),
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = pgettext_lazy("jamak", "keanggotaan")
        ordering = ["instansi__name", "unit__code", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(unit__isnull=False),
                name="membership_unique_user_unit_role",
            ),
            models.UniqueConstraint(
                fields=["user", "instansi", "role"],
                condition=Q(unit__isnull=True),
                name="membership_unique_user_instansi_role",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in UNIT_ROLES), unit__isnull=False)
                    | (~Q(role__in=sorted(r.value for r in UNIT_ROLES)) & Q(unit__isnull=True))
                ),
                name="membership_unit_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.instansi
        return f"{self.user} - {self.get_role_display()} - {scope}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("Peran ini wajib dikaitkan dengan unit kerja.")})
        if self.role not in UNIT_ROLES and self.unit_id is not None:
            raise ValidationError(
                {"unit": _("Peran tingkat instansi tidak dikaitkan dengan unit.")}
            )
        if self.unit_id and self.instansi_id and self.unit.instansi_id != self.instansi_id:
            raise ValidationError({"unit": _("Unit kerja harus berada di instansi yang sama.")})
