"""The page structure of a rulebook version: sections (the six areas, then Hasil), their parts
and sub-areas, and one card per indicator with its options and count inputs.

Built from the engine's rulebook once per process (`lke_layout`): a loaded rulebook version
never changes, so neither does its layout. Card fragments that never change either (option
HTML per language) are kept on the layout too (see assessments/lke_page.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.engine import CountInput, LkeRulebook, Option
from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook

HASIL = "hasil"


@dataclass(frozen=True, slots=True)
class Card:
    """One indicator block on the LKE page: what the unit answers, with everything it needs to
    choose knowingly. `codes`: the answer rows this card saves (the indicator itself, holding
    the penjelasan, then its count inputs)."""

    code: str
    text: str
    criterion: str
    type: str
    control: str  # option | persen | indeks | nilai
    section: str  # area key, or "hasil"
    part_name: str
    options: tuple[Option, ...] = ()
    inputs: tuple[CountInput, ...] = ()
    formula_json: str = ""
    weight: Decimal | None = None
    scale_max: Decimal | None = None
    hasil_key: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.code, *(i.code for i in self.inputs))


@dataclass(frozen=True, slots=True)
class Block:
    """A sub-area (or a group of one) with its cards."""

    code: str
    name: str
    weight: Decimal
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class PartBlock:
    key: str
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    name: str
    parts: tuple[PartBlock, ...]

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(c for p in self.parts for b in p.blocks for c in b.cards)


@dataclass(frozen=True)
class LkeLayout:
    sections: tuple[Section, ...]
    cards: dict[str, Card]  # by code (also reachable from an input code via `card_of`)
    card_of: dict[str, str]  # any answer code -> the card's code
    section_of: dict[str, str]  # card code -> section key
    answer_codes: tuple[str, ...]  # every code that takes a value, in rulebook order
    # Pre-rendered option HTML per (language, card code): the options are most of an LKE
    # page and never change within a rulebook version (see option_fragments).
    fragments: dict[tuple[str, str], dict[str, tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)


def _formula_json(ind) -> str:
    f = ind.formula
    if f is None:
        return ""
    return json.dumps(
        {
            "kind": f.kind,
            "numerator": f.numerator,
            "denominator": list(f.denominator),
            "zero": str(f.zero_denominator) if f.zero_denominator is not None else None,
            "previous": f.previous,
            "current": f.current,
            "both_zero": str(f.both_zero) if f.both_zero is not None else None,
            "previous_zero": str(f.previous_zero) if f.previous_zero is not None else None,
        }
    )


def _build_layout(rb: LkeRulebook) -> LkeLayout:
    area_names = {a.key: a.name for a in rb.areas}
    per_area: dict[str, list[PartBlock]] = {a.key: [] for a in rb.areas}
    for part in rb.parts:
        for pa in part.areas:
            blocks: list[Block] = []
            for sa in pa.sub_areas:
                units = [
                    (g.code, f"{sa.name} · {g.name}", g.weight, g.indicators) for g in sa.groups
                ]
                for code, name, weight, inds in units or [
                    (sa.code, sa.name, sa.weight, sa.indicators)
                ]:
                    cards = tuple(
                        Card(
                            code=ind.code,
                            text=ind.text,
                            criterion=ind.criterion,
                            type=ind.type,
                            control="option"
                            if ind.is_option
                            else ("persen" if ind.type == "PERSEN" else "nilai"),
                            section=pa.area,
                            part_name=part.name,
                            options=ind.options,
                            inputs=ind.inputs,
                            formula_json=_formula_json(ind),
                        )
                        for ind in inds
                    )
                    blocks.append(Block(code, name, weight, cards))
            per_area[pa.area].append(PartBlock(part.key, part.name, tuple(blocks)))
    sections = [Section(key, area_names[key], tuple(parts)) for key, parts in per_area.items()]
    hasil_parts = []
    for comp in rb.hasil_components:
        cards = tuple(
            Card(
                code=hi.code,
                text=hi.text,
                criterion=hi.criterion,
                type=hi.type,
                control="option" if hi.is_option else hi.type.lower(),
                section=HASIL,
                part_name=rb.hasil_name,
                options=hi.options,
                weight=hi.weight,
                scale_max=hi.scale_max,
                hasil_key=hi.key,
            )
            for hi in comp.indicators
        )
        hasil_parts.append(
            PartBlock(comp.key, comp.name, (Block(comp.code, comp.name, comp.weight, cards),))
        )
    sections.append(Section(HASIL, rb.hasil_name, tuple(hasil_parts)))
    cards_by_code: dict[str, Card] = {}
    card_of: dict[str, str] = {}
    section_of: dict[str, str] = {}
    for section in sections:
        for card in section.cards:
            cards_by_code[card.code] = card
            section_of[card.code] = section.key
            for code in card.codes:
                card_of[code] = card.code
    return LkeLayout(
        sections=tuple(sections),
        cards=cards_by_code,
        card_of=card_of,
        section_of=section_of,
        answer_codes=rb.answer_codes(),
    )


_LAYOUTS: dict[str, LkeLayout] = {}


def lke_layout(version: RulebookVersion) -> LkeLayout:
    layout = _LAYOUTS.get(version.content_hash)
    if layout is None:
        layout = _LAYOUTS[version.content_hash] = _build_layout(engine_rulebook(version))
    return layout
