"""python manage.py ipp_score FILE [--json]: the IPP of a set of F-02 scores (stable contract)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from assessments.management.commands.zi_score import pick_version, read_json_input
from assessments.models.rulebook import RulebookKind
from assessments.rulebooks import engine_rulebook
from pekppp.engine import score_ipp, validate_scores
from pekppp.reporting import ipp_result_dict, ipp_result_text


class Command(BaseCommand):
    help = "Menghitung Indeks Pelayanan Publik (IPP), kategori dan predikatnya dari berkas JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Berkas JSON skor F-02, atau - untuk stdin.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON (kontrak stabil).")

    def handle(self, *args, file: str, json: bool, **options) -> None:
        data = read_json_input(file)
        if not isinstance(data, dict):
            raise CommandError("Isi JSON harus berupa objek.", returncode=2)
        problems = [
            f"Kunci tidak dikenal di tingkat atas: {k!r}."
            for k in sorted(set(data) - {"instrument", "scores"})
        ]
        code = data.get("instrument")
        if code is not None and not isinstance(code, str):
            problems.append("`instrument` harus berupa teks kode instrumen.")
            code = None
        raw = data.get("scores", {})
        if not isinstance(raw, dict):
            problems.append("`scores` harus berupa objek kode indikator -> skor 0-5.")
            raw = {}
        version = pick_version(RulebookKind.PEKPPP, code, problems)
        scores = {}
        if version is not None:
            instrument = engine_rulebook(version)
            scores, score_problems = validate_scores(instrument, raw)
            problems += score_problems
        if problems:
            raise CommandError(
                f"{len(problems)} masalah pada masukan; tidak ada nilai yang dihitung:\n  - "
                + "\n  - ".join(problems),
                returncode=2,
            )
        out = ipp_result_dict(instrument, score_ipp(instrument, scores))
        if json:
            import json as jsonlib

            self.stdout.write(jsonlib.dumps(out, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(ipp_result_text(out))
