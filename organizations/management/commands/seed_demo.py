from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from organizations.demo import DEMO_PASSWORD, seed_organizations

# Each app seeds its own demo data, in this order, from the organisations' result. A module that
# does not exist yet is skipped, so that apps can be added one by one.
APP_SEEDERS = ["assessments.demo", "evidence.demo", "pekppp.demo"]


class Command(BaseCommand):
    help = (
        "Membuat data demo (idempoten): instansi, unit kerja, akun demo dan data contoh tiap modul."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            world = seed_organizations()
            for dotted in APP_SEEDERS:
                try:
                    module = import_module(dotted)
                except ModuleNotFoundError as exc:
                    if exc.name != dotted:
                        raise
                    continue
                module.seed(world)
        self.stdout.write(
            self.style.SUCCESS(
                "Data demo siap. Akun: admin, unit, unit2, pimpinan, tpi, biro "
                f"(kata sandi: {DEMO_PASSWORD})."
            )
        )
