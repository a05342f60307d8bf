"""Demo TPI evaluation (idempotent; called at the end of assessments.demo.seed): the `tpi`
account is assigned to BAUK's submitted 2026 LKE and has already evaluated its first two
areas, agreeing with the unit mostly and lowering two answers with a catatan.

The LKE stays "Dikirim ke TPI" (the demo of the unit's side shows a submitted LKE), so these
answers are written as a previous review round would have left them: rows with their history
(user `tpi`), no status change. Opening the review, the rest of the evaluation, returning and
finalising are left to the person trying the demo.
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from assessments.models import (
    Assessment,
    Assignment,
    EvaluatorAnswer,
    LkeItem,
    Predikat,
    Status,
)
from assessments.results import lke_layout, lke_state

DEMO_YEAR = 2026
EVALUATED_AREAS = 2
LOWERED = {
    0: "SK tim belum ditandatangani kepala unit; lampirkan SK yang sah.",
    3: "Laporan monev triwulan II dan III tidak dilampirkan.",
}


def seed(world: dict) -> None:
    users = world["users"]
    tpi, admin = users["tpi"], users["admin"]
    bauk = (
        Assessment.objects.filter(unit=world["units"]["BAUK"], year=DEMO_YEAR, target=Predikat.WBK)
        .select_related("unit", "rulebook")
        .first()
    )
    if bauk is None or bauk.status != Status.SUBMITTED:
        return
    Assignment.objects.get_or_create(
        assessment=bauk, evaluator=tpi, defaults={"assigned_by": admin}
    )
    if EvaluatorAnswer.objects.filter(assessment=bauk).exists():
        return
    unit = lke_state(bauk, refresh=True)
    items = {i.code: i for i in LkeItem.objects.filter(version_id=bauk.rulebook_id)}
    rows = []
    index = 0
    for section in lke_layout(bauk.rulebook).sections[:EVALUATED_AREAS]:
        for card in section.cards:
            note = LOWERED.get(index, "")
            for code in card.codes:
                answer = unit.rows.get(code)
                value = answer.value if answer else ""
                if code == card.code and note and card.control == "option":
                    # One option lower than the unit's (the options are listed best first).
                    keys = [
                        o.key for o in sorted(card.options, key=lambda o: o.value, reverse=True)
                    ]
                    if value in keys:
                        value = keys[min(keys.index(value) + 1, len(keys) - 1)]
                if value or (code == card.code and note):
                    rows.append(
                        EvaluatorAnswer(
                            assessment=bauk,
                            item=items[code],
                            value=value,
                            note=note if code == card.code else "",
                            revision=1,
                            updated_by=tpi,
                        )
                    )
            index += 1
    bulk_create_with_history(
        rows,
        EvaluatorAnswer,
        default_user=tpi,
        default_change_reason="Penilaian TPI awal (data demo)",
    )
