from django.core.management.base import BaseCommand

from organizations.demo import DEMO_PASSWORD, seed_organizations


class Command(BaseCommand):
    help = "Membuat data demo (idempoten): instansi, unit kerja dan akun demo."

    def handle(self, *args, **options) -> None:
        seed_organizations()
        self.stdout.write(
            self.style.SUCCESS(
                "Data demo siap. Akun: admin, unit, unit2, pimpinan, tpi "
                f"(kata sandi: {DEMO_PASSWORD})."
            )
        )
