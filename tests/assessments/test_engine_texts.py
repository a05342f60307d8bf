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
    for path in (ENGINE / "gap.py", ENGINE / "scoring.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = {"_reason": 1, "_warning": 2}.get(node.func.id)
                if position is not None and len(node.args) > position:
                    arg = node.args[position]
                    assert isinstance(arg, ast.Constant), f"{path.name}:{node.lineno}"
                    found.add(arg.value)
    return found


def test_every_engine_text_is_listed_for_translation():
    templates = _engine_templates()
    assert len(templates) >= 9
    assert templates <= set(ENGINE_TEXTS), templates - set(ENGINE_TEXTS)


@pytest.mark.django_db
def test_every_engine_text_has_an_english_translation():
    with translation.override("en"):
        for template in ENGINE_TEXTS:
            english = translation.gettext(template)
            assert english != template, template
            names = "code value num den current survey prior target criterion surveys codes"
            params = dict.fromkeys(names.split(), "x")
            english % params  # the placeholders are the same


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
