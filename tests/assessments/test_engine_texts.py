"""The engine's warnings and gap-plan reasons reach the user in the user's language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from assessments.engine import GapPlan, GapReason, ScoreWarning, plan_gap, score_lke
from assessments.engine_texts import ENGINE_TEXTS, gap_reason_text, warning_text

ENGINE = Path(__file__).resolve().parents[2] / "assessments" / "engine"


def _engine_templates() -> set[str]:
    """Every template passed to _reason(kind, template, ...) or _warning(code, kind, template)."""
    found = set()
    for path in (ENGINE / "gap.py", ENGINE / "scoring.py", ENGINE / "answers.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = {"_reason": 1, "_warning": 2, "AnswerProblem": 1}.get(node.func.id)
                if position is not None and len(node.args) > position:
                    arg = node.args[position]
                    branches = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                    for branch in branches:
                        assert isinstance(branch, ast.Constant), f"{path.name}:{node.lineno}"
                        found.add(branch.value)
    return found


def test_every_engine_text_is_listed_for_translation():
    templates = _engine_templates()
    assert len(templates) >= 21
    assert templates <= set(ENGINE_TEXTS), templates - set(ENGINE_TEXTS)


@pytest.mark.django_db
def test_every_engine_text_has_an_english_translation():
    with translation.override("en"):
        for template in ENGINE_TEXTS:
            english = translation.gettext(template)
            assert english != template, template
            names = "code value num den current survey prior target criterion surveys codes"
            names += " rulebook inputs options high"
            params = dict.fromkeys(names.split(), "x")
            english % params  # the placeholders are the same
            if template.startswith("%(code)s: "):
                assert english.startswith("%(code)s: "), english  # cards strip this prefix


def test_warning_text_follows_the_language():
    warning = ScoreWarning(
        "A.I.1",
        "capped",
        "A.I.1: pembilang (5) melebihi penyebut (3); nilai dibatasi 100%.",
        "%(code)s: pembilang (%(num)s) melebihi penyebut (%(den)s); nilai dibatasi 100%%.",
        (("code", "A.I.1"), ("num", "5"), ("den", "3")),
    )
    with translation.override("id"):
        assert warning_text(warning) == warning.message
    with translation.override("en"):
        text = warning_text(warning)
    assert "A.I.1" in text and "5" in text and "3" in text and "pembilang" not in text


@pytest.mark.django_db
def test_gap_reason_names_the_criterion_in_the_users_language(lke_version):
    from assessments.rulebooks import engine_rulebook

    rulebook = engine_rulebook(lke_version)
    plan = plan_gap(rulebook, {}, target="WBK")
    assert not plan.reachable and plan.reasons
    assert plan.reason == ". ".join(r.text for r in plan.reasons)
    with translation.override("id"):
        indonesian = gap_reason_text(rulebook, plan)
    with translation.override("en"):
        english = gap_reason_text(rulebook, plan)
    assert "Nilai survei" in indonesian
    assert "Nilai survei" not in english and "survey" in english
    reason = GapReason(
        "unreachable",
        "Kriteria %(criterion)s tidak dapat dipenuhi dengan mengubah jawaban",
        (("criterion", "area:penguatan_pengawasan"),),
    )
    named = GapPlan("WBK", (), False, reason.text, (reason,))
    with translation.override("id"):
        assert gap_reason_text(rulebook, named) == (
            "Kriteria Penguatan Pengawasan tidak dapat dipenuhi dengan mengubah jawaban"
        )
    assert score_lke(rulebook, {}).warnings == ()


@pytest.mark.django_db
def test_answer_problems_follow_the_language(lke_version):
    from assessments.engine import validate_answers
    from assessments.engine_texts import answer_problem_text
    from assessments.rulebooks import engine_rulebook

    rulebook = engine_rulebook(lke_version)
    count = next(c for c, s in rulebook.plan.specs.items() if s.kind == "count")
    _answers, problems = validate_answers(rulebook, {count: "-3"})
    with translation.override("id"):
        assert (
            answer_problem_text(problems[0], with_code=False) == "Jumlah tidak boleh negatif (-3)."
        )
    with translation.override("en"):
        english = answer_problem_text(problems[0], with_code=False)
        assert english[0].isupper() and "-3" in english and "negatif" not in english
        assert answer_problem_text(problems[0]).startswith(f"{count}: ")


@pytest.mark.parametrize("text", ["1e1", "1E5", "1e1000000", "NaN", "Infinity", "1_000", "0x10"])
@pytest.mark.django_db
def test_only_plain_numbers_are_answers(lke_version, text):
    from assessments.engine import validate_answers
    from assessments.rulebooks import engine_rulebook

    rulebook = engine_rulebook(lke_version)
    count = next(c for c, s in rulebook.plan.specs.items() if s.kind == "count")
    index = next(c for c, s in rulebook.plan.specs.items() if s.kind == "indeks")
    answers, problems = validate_answers(rulebook, {count: text, index: text})
    assert answers == {} and len(problems) == 2


@pytest.mark.parametrize("text", ["１２", "٣"])
@pytest.mark.django_db
def test_only_ascii_digits_are_numbers(lke_version, text):
    from assessments.engine import validate_answers
    from assessments.rulebooks import engine_rulebook

    rulebook = engine_rulebook(lke_version)
    count = next(c for c, s in rulebook.plan.specs.items() if s.kind == "count")
    answers, problems = validate_answers(rulebook, {count: text})
    assert answers == {} and len(problems) == 1


def test_every_assessment_event_has_a_readable_label():
    """The status history and the audit trail show a label for every event the code records
    (walkthrough: "import_workbook" and "assign" showed as raw codes)."""
    import re

    from assessments.audit import EVENT_LABELS

    root = ENGINE.parent
    sources = [*root.glob("*.py"), *(root / "workbook").glob("*.py")]
    actions = {m for path in sources for m in re.findall(r'action="([a-z_]+)"', path.read_text())}
    assert len(actions) >= 12
    assert actions <= set(EVENT_LABELS), actions - set(EVENT_LABELS)
