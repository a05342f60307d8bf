"""Materialise a validated PEKPPP instrument's tree (called by assessments.rulebooks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.models import RulebookVersion
from pekppp.models import F03Item, InstrumentAspect, InstrumentIndicator, IppBand, RubricLevel


def store_instrument_tree(version: RulebookVersion, parsed: Any) -> None:
    """Rows from the stored content (already validated by pekppp.engine.parse_instrument)."""
    content = version.content
    levels: list[RubricLevel] = []
    order = 0
    for a_order, a in enumerate(content["aspects"]):
        aspect = InstrumentAspect.objects.create(
            version=version,
            code=a["code"],
            key=a["key"],
            name=a["name"],
            weight=Decimal(str(a["weight"])),
            order=a_order,
        )
        for ind in a["indicators"]:
            order += 1
            indicator = InstrumentIndicator.objects.create(
                aspect=aspect,
                version=version,
                code=ind["code"],
                number=int(ind["no"]),
                text=ind["text"],
                weight=Decimal(str(ind["weight"])),
                evidence_hints=list(ind.get("evidence_hints") or []),
                f01_questions=list(ind.get("f01_questions") or []),
                order=order,
            )
            levels.extend(
                RubricLevel(indicator=indicator, score=int(r["score"]), text=r["text"])
                for r in ind["rubric"]
            )
    RubricLevel.objects.bulk_create(levels)
    IppBand.objects.bulk_create(
        IppBand(
            version=version,
            grade=b["grade"],
            minimum=Decimal(str(b["min"])),
            maximum=Decimal(str(b["max"])),
            label=b["label"],
            order=i,
        )
        for i, b in enumerate(content["bands"])
    )
    F03Item.objects.bulk_create(
        F03Item(version=version, code=f["code"], aspect_code=f["aspect"], text=f["text"], order=i)
        for i, f in enumerate(content.get("f03_items") or [])
    )
