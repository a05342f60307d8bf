"""Spreadsheet import of units and users (django-import-export), used by the operator admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from organizations.models import UNIT_ROLES, Instansi, Membership, Role, UnitKerja

User = get_user_model()


class UnitKerjaResource(resources.ModelResource):
    instansi = fields.Field(
        attribute="instansi",
        column_name="instansi",
        widget=widgets.ForeignKeyWidget(Instansi, field="name"),
    )
    code = fields.Field(attribute="code", column_name="kode")
    name = fields.Field(attribute="name", column_name="nama")
    parent = fields.Field(attribute="parent", column_name="kode_induk")
    head_name = fields.Field(attribute="head_name", column_name="kepala_unit")
    email = fields.Field(attribute="email", column_name="email")

    class Meta:
        model = UnitKerja
        import_id_fields = ("instansi", "code")
        fields = ("instansi", "code", "name", "parent", "head_name", "email")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, allowed_instansi=None, **kwargs):
        super().__init__(**kwargs)
        self.allowed_instansi = allowed_instansi

    def before_import_row(self, row, **kwargs):
        instansi_name = (row.get("instansi") or "").strip()
        if (
            self.allowed_instansi is not None
            and not self.allowed_instansi.filter(name=instansi_name).exists()
        ):
            raise ValidationError(
                _("Instansi %(name)s tidak ditemukan atau bukan wewenang Anda.")
                % {"name": instansi_name}
            )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "parent":
            code = (row.get("kode_induk") or "").strip()
            if not code:
                instance.parent = None
                return
            try:
                instance.parent = UnitKerja.objects.get(instansi=instance.instansi, code=code)
            except UnitKerja.DoesNotExist:
                raise ValidationError(
                    _("Unit induk dengan kode %(code)s belum ada.") % {"code": code}
                ) from None
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def dehydrate_parent(self, unit: UnitKerja) -> str:
        return unit.parent.code if unit.parent_id else ""


class UserResource(resources.ModelResource):
    """One row per user; `peran`/`instansi`/`kode_unit` create the membership.

    Imported users get no usable password: they set one through "Lupa kata sandi".
    """

    username = fields.Field(attribute="username", column_name="username")
    email = fields.Field(attribute="email", column_name="email")
    first_name = fields.Field(attribute="first_name", column_name="nama_depan")
    last_name = fields.Field(attribute="last_name", column_name="nama_belakang")

    class Meta:
        model = User
        import_id_fields = ("username",)
        fields = ("username", "email", "first_name", "last_name")
        skip_unchanged = False
        use_transactions = True

    def __init__(self, *, allowed_instansi=None, **kwargs):
        super().__init__(**kwargs)
        self.allowed_instansi = allowed_instansi

    def _membership_target(self, row) -> tuple[Instansi, UnitKerja | None, str] | None:
        role = (row.get("peran") or "").strip()
        if not role:
            return None
        if role not in Role.values:
            raise ValidationError(
                _("Peran %(role)s tidak dikenal. Pilihan: %(choices)s.")
                % {"role": role, "choices": ", ".join(Role.values)}
            )
        instansi_qs = (
            self.allowed_instansi if self.allowed_instansi is not None else Instansi.objects
        )
        instansi_name = (row.get("instansi") or "").strip()
        try:
            instansi = instansi_qs.get(name=instansi_name)
        except Instansi.DoesNotExist:
            raise ValidationError(
                _("Instansi %(name)s tidak ditemukan atau bukan wewenang Anda.")
                % {"name": instansi_name}
            ) from None
        unit = None
        if role in UNIT_ROLES:
            code = (row.get("kode_unit") or "").strip()
            try:
                unit = UnitKerja.objects.get(instansi=instansi, code=code)
            except UnitKerja.DoesNotExist:
                raise ValidationError(
                    _("Unit dengan kode %(code)s tidak ada di %(instansi)s.")
                    % {"code": code or "-", "instansi": instansi}
                ) from None
        return instansi, unit, role

    def before_import_row(self, row, **kwargs):
        if not (row.get("username") or "").strip():
            raise ValidationError(_("Kolom username wajib diisi."))
        self._membership_target(row)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.set_unusable_password()
        target = self._membership_target(row)
        if target and target[2] == Role.OPERATOR:
            instance.is_staff = True

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        target = self._membership_target(row)
        if target is None:
            return
        instansi, unit, role = target
        Membership.objects.get_or_create(user=instance, instansi=instansi, unit=unit, role=role)
