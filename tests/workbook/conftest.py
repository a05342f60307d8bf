"""Workbook fixtures: a draft assessment of the unit, answer sets, and the official template."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _official_template() -> Path:
    """The official workbook (answers cleared) as units receive it: ../shared/domain beside the
    repository, or beside the main checkout when the tests run in a git worktree (whose folder
    can be anywhere, e.g. /tmp)."""
    name = Path("shared") / "domain" / "lke-zi-90-2021-workbook.xlsx"
    candidates = [ROOT.parent / name]
    git = ROOT / ".git"
    if git.is_file():  # a worktree: ".git" holds "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(git.read_text().partition("gitdir:")[2].strip())
        if gitdir.parent.name == "worktrees":
            candidates.append(gitdir.parent.parent.parent.parent / name)
    return next((c for c in candidates if c.exists()), candidates[0])


OFFICIAL = _official_template()


@pytest.fixture
def make_assessment(world, lke_version):
    from assessments.models import Assessment

    def _make(**overrides):
        values = {"unit": world.unit, "year": 2026, "target": "WBK", "rulebook": lke_version}
        values.update(overrides)
        return Assessment.objects.create(**values)

    return _make


@pytest.fixture
def assessment(make_assessment):
    return make_assessment()


@pytest.fixture
def rulebook(lke_version):
    from assessments.rulebooks import engine_rulebook

    return engine_rulebook(lke_version)


@pytest.fixture
def unit_team(world):
    return world.users["unit_team"]


def store(assessment, answers: dict[str, object], notes: dict[str, str] | None = None, by=None):
    """Write answer rows directly (value as the services store it: str of the engine value)."""
    from assessments.models import Answer, LkeItem

    notes = notes or {}
    items = {i.code: i for i in LkeItem.objects.filter(version=assessment.rulebook_id)}
    Answer.objects.filter(assessment=assessment).delete()
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            item=items[code],
            value="" if answers.get(code) is None else str(answers[code]),
            note=notes.get(code, ""),
            revision=1,
            updated_by=by,
        )
        for code in sorted(set(answers) | set(notes))
    )


def stored(assessment) -> dict[str, tuple[str, str]]:
    from assessments.models import Answer

    return {
        code: (value, note)
        for code, value, note in Answer.objects.filter(assessment=assessment).values_list(
            "item__code", "value", "note"
        )
    }


def random_answers(
    rb, seed: int, *, partial: float = 0.0, zeros: bool = False
) -> dict[str, object]:
    """A valid answer set: every answerable code (a share `partial` of them left out); with
    `zeros`, counts are often 0 so that every zero-denominator rule is met."""
    rng = random.Random(seed)
    answers: dict[str, object] = {}
    for code, spec in rb.plan.specs.items():
        if spec.kind == "persen" or rng.random() < partial:
            continue
        if spec.kind == "option":
            answers[code] = rng.choice(spec.options)
        elif spec.kind == "count":
            answers[code] = 0 if zeros and rng.random() < 0.6 else rng.randint(0, 40)
        else:
            high = int((spec.scale_max or Decimal(1)) * 100)
            answers[code] = (Decimal(rng.randint(0, high)) / 100).quantize(Decimal("0.01"))
    return answers


def complete_answers(rb, seed: int = 1) -> dict[str, object]:
    return random_answers(rb, seed)


def workbook_bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def official_path() -> Path:
    assert OFFICIAL.exists(), f"templat LKE resmi tidak ditemukan: {OFFICIAL}"
    return OFFICIAL
