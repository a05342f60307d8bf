"""Factories for the ZI assessment tests: deterministic, no network."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from assessments.results import lke_layout


@pytest.fixture(autouse=True)
def _rulebooks_present(db) -> None:
    """Browser tests flush the database (transactional); reload the rulebooks if they ran first."""
    from assessments.models import RulebookVersion
    from assessments.rulebooks import load_rulebooks

    if not RulebookVersion.objects.filter(kind="lke", is_current=True).exists():
        load_rulebooks()


@pytest.fixture
def make_assessment(world, lke_version):
    from assessments.models import Assessment

    def _make(**overrides) -> Assessment:
        values = {"unit": world.unit, "year": 2026, "target": "WBK", "rulebook": lke_version}
        values.update(overrides)
        return Assessment.objects.create(**values)

    return _make


def all_cards(assessment):
    return [c for s in lke_layout(assessment.rulebook).sections for c in s.cards]


def good_answers(card, *, rank: int = 0) -> dict[str, str]:
    """code -> raw value answering the card: the rank-th best option, counts at 100%, indices
    3.80."""
    if card.control == "option":
        ordered = sorted(card.options, key=lambda o: o.value, reverse=True)
        return {card.code: ordered[min(rank, len(ordered) - 1)].key}
    if card.control == "indeks":
        return {card.code: "3.80"}
    if card.control == "nilai":
        return {card.code: "1"}
    out = {i.code: "5" for i in card.inputs}
    if '"kind": "reduction"' in card.formula_json:
        out[card.inputs[1].code] = "0"
    return out


def support_with_evidence(assessment, codes: Iterable[str], *, by=None) -> None:
    """Attach one link evidence item to the given items, so the submission gate is satisfied."""
    import datetime as dt

    from assessments.models import LkeItem
    from evidence.models import Attachment, Evidence, EvidenceKind

    evidence, _ = Evidence.objects.get_or_create(
        unit=assessment.unit,
        title="Bukti uji",
        defaults={
            "kind": EvidenceKind.LINK,
            "link_url": "https://contoh.go.id/bukti",
            "document_date": dt.date(assessment.year, 1, 1),
        },
    )
    items = LkeItem.objects.filter(version=assessment.rulebook, code__in=list(codes))
    Attachment.objects.bulk_create(
        [
            Attachment(evidence=evidence, assessment=assessment, item=i, attached_by=by)
            for i in items
        ],
        ignore_conflicts=True,
    )


def fill(
    assessment, *, skip: Iterable[str] = (), rank: int = 0, by=None, evidence: bool = True
) -> None:
    """Answer every card (except those in `skip`) directly in the database (fast, no history),
    with bukti dukung attached to every answered card unless `evidence=False`."""
    from assessments.models import Answer, LkeItem

    skip = set(skip)
    items = {i.code: i for i in LkeItem.objects.filter(version=assessment.rulebook)}
    rows = []
    for card in all_cards(assessment):
        if card.code in skip:
            continue
        for code, value in good_answers(card, rank=rank).items():
            rows.append(
                Answer(
                    assessment=assessment, item=items[code], value=value, revision=1, updated_by=by
                )
            )
    Answer.objects.bulk_create(rows)
    if evidence:
        support_with_evidence(
            assessment, [c.code for c in all_cards(assessment) if c.code not in skip], by=by
        )
    assessment.__dict__.pop("_lke_state", None)


@pytest.fixture
def filled(make_assessment, world):
    """A complete draft assessment of world.unit."""
    assessment = make_assessment()
    fill(assessment, by=world.users["unit_team"])
    return assessment


@pytest.fixture
def assign_tpi(world):
    from assessments.models import Assignment

    def _assign(assessment):
        return Assignment.objects.create(assessment=assessment, evaluator=world.users["tpi"])

    return _assign
