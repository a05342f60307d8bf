"""python manage.py zi_score FILE [--json]: score an LKE from a JSON file (the stable contract)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.engine import UnitFacts, check_predikat, plan_gap, score_lke, validate_answers
from assessments.models import RulebookVersion
from assessments.models.rulebook import RulebookKind
from assessments.reporting import lke_result_dict, lke_result_text
from assessments.rulebooks import engine_rulebook


def read_json_input(path: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(
            f"Berkas {path} tidak dapat dibaca: {exc.strerror}.", returncode=2
        ) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"JSON tidak sah di baris {exc.lineno} kolom {exc.colno}: {exc.msg}.", returncode=2
        ) from None


def pick_version(kind: str, code: str | None, problems: list[str]) -> RulebookVersion | None:
    versions = RulebookVersion.objects.select_related("rulebook").filter(kind=kind)
    if code is None:
        version = versions.filter(is_current=True).first()
        if version is None:
            problems.append(
                "Belum ada buku aturan yang dimuat; jalankan `manage.py load_rulebooks`."
            )
        return version
    version = versions.filter(rulebook__code=code).order_by("-is_current", "-loaded_at").first()
    if version is None:
        problems.append(f"Buku aturan {code!r} tidak dikenal atau belum dimuat.")
    return version


class Command(BaseCommand):
    help = "Menghitung nilai LKE, verdict WBK/WBBM dan rencana perbaikan dari berkas JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Berkas JSON jawaban, atau - untuk stdin.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON (kontrak stabil).")

    def handle(self, *args, file: str, json: bool, **options) -> None:
        data = read_json_input(file)
        problems: list[str] = []
        if not isinstance(data, dict):
            raise CommandError("Isi JSON harus berupa objek.", returncode=2)
        unknown = set(data) - {"rulebook", "unit", "answers"}
        problems += [f"Kunci tidak dikenal di tingkat atas: {k!r}." for k in sorted(unknown)]
        code = data.get("rulebook")
        if code is not None and not isinstance(code, str):
            problems.append("`rulebook` harus berupa teks kode buku aturan.")
            code = None
        unit = data.get("unit", {})
        has_wbk = False
        if not isinstance(unit, dict):
            problems.append('`unit` harus berupa objek, mis. {"has_wbk": false}.')
        else:
            has_wbk = unit.get("has_wbk", False)
            if not isinstance(has_wbk, bool):
                problems.append("`unit.has_wbk` harus true atau false.")
                has_wbk = False
        raw = data.get("answers", {})
        if not isinstance(raw, dict):
            problems.append("`answers` harus berupa objek kode -> jawaban.")
            raw = {}
        version = pick_version(RulebookKind.LKE, code, problems)
        answers = {}
        if version is not None:
            rulebook = engine_rulebook(version)
            answers, answer_problems = validate_answers(rulebook, raw)
            problems += answer_problems
        if problems:
            raise CommandError(
                f"{len(problems)} masalah pada masukan; tidak ada nilai yang dihitung:\n  - "
                + "\n  - ".join(problems),
                returncode=2,
            )
        facts = UnitFacts(has_wbk=has_wbk)
        result = score_lke(rulebook, answers)
        verdicts = check_predikat(result, rulebook, facts)
        target = "WBBM" if has_wbk else "WBK"
        plan = plan_gap(rulebook, answers, target=target, unit_facts=facts)
        out = lke_result_dict(rulebook, result, verdicts, plan)
        if json:
            import json as jsonlib

            self.stdout.write(jsonlib.dumps(out, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(lke_result_text(out))
