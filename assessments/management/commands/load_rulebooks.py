from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.rulebooks import RulebookLoadError, load_rulebooks


class Command(BaseCommand):
    help = (
        "Memuat berkas buku aturan (rulebooks/*/*.yaml) ke basis data. Idempoten: versi yang "
        "sudah dimuat dengan isi yang sama dilewati; isi berbeda pada versi yang sama ditolak."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Berkas tertentu (bawaan: semua).")

    def handle(self, *args, paths: list[Path], **options) -> None:
        try:
            outcomes = load_rulebooks(paths or None)
        except RulebookLoadError as exc:
            raise CommandError(
                "Buku aturan ditolak; tidak ada yang dimuat:\n  - " + "\n  - ".join(exc.problems)
            ) from None
        for outcome in outcomes:
            self.stdout.write(f"{outcome.code} versi {outcome.version}: {outcome.status}")
        self.stdout.write(self.style.SUCCESS("Buku aturan siap."))
