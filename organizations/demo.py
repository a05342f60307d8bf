"""Demo organisations and accounts (idempotent). See README for the account list."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from organizations.models import Instansi, Membership, Role, UnitKerja

DEMO_PASSWORD = "zi-demo-2026"
DEMO_INSTANSI = "Politeknik Negeri Contoh"
DEMO_UNITS = [
    ("BAAK", "Biro Administrasi Akademik dan Kemahasiswaan", "Dr. Sari Wulandari"),
    ("BAUK", "Biro Administrasi Umum dan Keuangan", "Ir. Budi Santoso, M.T."),
    ("UPT-TIK", "UPT Teknologi Informasi dan Komunikasi", "Rina Kartika, S.Kom."),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    unit_code: str | None = None
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Admin", "Portal", Role.OPERATOR, superuser=True),
    DemoAccount("unit", "Tim Kerja", "BAAK", Role.TIM_UNIT, "BAAK"),
    DemoAccount("unit2", "Tim Kerja", "BAUK", Role.TIM_UNIT, "BAUK"),
    DemoAccount("pimpinan", "Pimpinan", "Politeknik", Role.PIMPINAN_INSTANSI),
    DemoAccount("tpi", "Evaluator", "TPI", Role.TPI),
]


@transaction.atomic
def seed_organizations() -> dict[str, object]:
    instansi, _ = Instansi.objects.update_or_create(
        name=DEMO_INSTANSI, defaults={"kind": Instansi.Kind.KEMENTERIAN_LEMBAGA}
    )
    units: dict[str, UnitKerja] = {}
    for code, name, head in DEMO_UNITS:
        units[code], _ = UnitKerja.objects.update_or_create(
            instansi=instansi, code=code, defaults={"name": name, "head_name": head}
        )
    User = get_user_model()
    users = {}
    for account in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "email": f"{account.username}@contoh.ac.id",
                "first_name": account.first_name,
                "last_name": account.last_name,
            },
        )
        # Demo accounts are reset to the documented password and flags on every run.
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = account.superuser
        user.is_staff = account.superuser or account.role in {Role.OPERATOR, Role.TPI}
        user.is_active = True
        user.save()
        unit = units[account.unit_code] if account.unit_code else None
        Membership.objects.get_or_create(user=user, instansi=instansi, unit=unit, role=account.role)
        users[account.username] = user
    return {"instansi": instansi, "units": units, "users": users}
