"""Demo ZI assessments (idempotent): BAAK 2026 about half filled, BAUK 2026 complete and sent to
the TPI. Everything goes through the services, so the history and audit trail are real."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assessments import services
from assessments.models import Assessment, Assignment, InstansiFacts, Predikat
from assessments.results import Card, lke_layout
from assessments.services import AnswerChange

DEMO_YEAR = 2026

# Notes that read like a unit's own explanations.
NOTES = [
    "SK Kepala Unit tentang Tim Pembangunan ZI; notulen rapat pembentukan.",
    "Dokumen rencana kerja ZI tahun berjalan, dipantau tiap triwulan.",
    "Laporan monitoring dan evaluasi; daftar hadir dan foto kegiatan.",
    "",
]


def _option(card: Card, rank: int) -> str:
    """The rank-th best option (0 = best), bounded by the card's options."""
    ordered = sorted(card.options, key=lambda o: o.value, reverse=True)
    return ordered[min(rank, len(ordered) - 1)].key


def _changes(card: Card, index: int, *, strong: bool) -> list[AnswerChange]:
    note = NOTES[index % len(NOTES)]
    if card.control == "option":
        # Strong: mostly the best option, every fourth the second best. Otherwise a realistic
        # mix with room to improve.
        rank = (1 if index % 4 == 3 else 0) if strong else (index % 3)
        return [AnswerChange(card.code, _option(card, rank), note, 0)]
    if card.control == "indeks":
        value = ("3.72" if card.hasil_key == "ipak" else "3.45") if strong else "3.41"
        return [AnswerChange(card.code, value, note, 0)]
    if card.control == "nilai":
        return [AnswerChange(card.code, "0.75" if strong else "0.50", note, 0)]
    changes = [AnswerChange(card.code, None, note, 0)]
    # Counts: every input 10, the achievement count (numerator) 10 or 7; a reduction's current
    # count lower than the previous.
    formula = card.formula_json
    for i, count_input in enumerate(card.inputs):
        value = 10
        if '"kind": "reduction"' in formula and i == 1:
            value = 2 if strong else 6
        elif f'"numerator": "{count_input.code}"' in formula and not strong:
            value = 7
        changes.append(AnswerChange(count_input.code, str(value), None, 0))
    return changes


def _fill(assessment: Assessment, by, *, strong: bool, sections: set[str] | None) -> None:
    layout = lke_layout(assessment.rulebook)
    index = 0
    for section in layout.sections:
        if sections is not None and section.key not in sections:
            continue
        for card in section.cards:
            services.save_answers(
                assessment=assessment, changes=_changes(card, index, strong=strong), by=by
            )
            index += 1


def seed(world: dict) -> None:
    instansi = world["instansi"]
    units = world["units"]
    users = world["users"]
    admin = users["admin"]
    if not InstansiFacts.objects.filter(instansi=instansi, year=DEMO_YEAR).exists():
        services.save_instansi_facts(
            instansi=instansi,
            year=DEMO_YEAR,
            facts={
                "opini_bpk": "WTP",
                "sakip_instansi": "BB",
                "indeks_rb": "B",
                "spip_maturity_level": 3,
            },
            by=admin,
        )

    baak = units["BAAK"]
    if not Assessment.objects.filter(unit=baak, year=DEMO_YEAR, target=Predikat.WBK).exists():
        draft = services.create_assessment(unit=baak, year=DEMO_YEAR, target=Predikat.WBK, by=admin)
        layout = lke_layout(draft.rulebook)
        first_areas = {s.key for s in layout.sections[:3]}
        _fill(draft, users["unit"], strong=False, sections=first_areas)
        services.save_unit_facts(
            assessment=draft,
            facts={"core_service": True, "pencanangan_date": dt.date(2025, 2, 10)},
            has_wbk=False,
            by=users["unit"],
        )

    bauk = units["BAUK"]
    if not Assessment.objects.filter(unit=bauk, year=DEMO_YEAR, target=Predikat.WBK).exists():
        sent = services.create_assessment(unit=bauk, year=DEMO_YEAR, target=Predikat.WBK, by=admin)
        _fill(sent, users["unit2"], strong=True, sections=None)
        services.save_unit_facts(
            assessment=sent,
            facts={
                "core_service": True,
                "significant_impact": True,
                "tlhp_percent": Decimal("100"),
                "lhkpn_percent": Decimal("100"),
                "lhkasn_percent": Decimal("100"),
                "pencanangan_date": dt.date(2024, 3, 1),
                "sakip_unit": "BB",
            },
            has_wbk=False,
            by=users["unit2"],
        )
        from evidence.demo import support_every_claim

        support_every_claim(sent, users["unit2"])
        services.submit_assessment(
            assessment=sent, by=users["unit2"], note="LKE lengkap dengan bukti dukung."
        )
        Assignment.objects.get_or_create(
            assessment=sent, evaluator=users["tpi"], defaults={"assigned_by": admin}
        )
    from assessments import demo_tpi

    demo_tpi.seed(world)
