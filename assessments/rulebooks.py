"""Loading rulebook files into the database, and reading them back for the engines.

`load_rulebooks(paths)` validates every file first (each kind through its pure parser, which
names the file and the code at fault) and writes nothing unless all are valid. A version that is
already loaded with the same content is left alone; different content under an existing
version is refused: a changed rulebook is a new version, loaded beside the old one, so that
assessments pinned to the old version keep scoring the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from assessments.engine import LkeRulebook, RulebookError, parse_lke_rulebook
from assessments.models import (
    LkeArea,
    LkeItem,
    LkeOption,
    LkeSubArea,
    PredikatThreshold,
    Rulebook,
    RulebookVersion,
)
from assessments.models.rulebook import LkeItemKind, RulebookKind

RULEBOOK_DIR = Path(settings.BASE_DIR) / "rulebooks"


class RulebookLoadError(Exception):
    """Every problem found, across all files; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadOutcome:
    source: str
    code: str
    version: str
    status: str  # "dimuat" (loaded) | "tidak berubah" (unchanged)


def _parsers() -> dict[str, Callable[..., Any]]:
    from assessments.engine.eligibility import parse_eligibility
    from pekppp.engine import parse_instrument, parse_skm

    return {
        RulebookKind.LKE: parse_lke_rulebook,
        RulebookKind.PEKPPP: parse_instrument,
        RulebookKind.ELIGIBILITY: parse_eligibility,
        RulebookKind.SKM: parse_skm,
    }


def _json_ready(value: Any) -> Any:
    """YAML dates become ISO strings so the stored content is plain JSON."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def default_paths() -> list[Path]:
    return sorted(RULEBOOK_DIR.glob("*/*.yaml"))


@dataclass(frozen=True)
class _Parsed:
    source: str
    content: dict
    digest: str
    parsed: Any


def _read(path: Path, problems: list[str]) -> _Parsed | None:
    source = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{source}: tidak dapat dibaca sebagai YAML ({exc}).")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{source}: isi berkas harus berupa mapping YAML.")
        return None
    content = _json_ready(raw)
    kind = content.get("kind")
    parser = _parsers().get(kind)
    if parser is None:
        problems.append(f"{source}: jenis (kind) {kind!r} tidak dikenal.")
        return None
    for field in ("code", "version", "title"):
        if not content.get(field):
            problems.append(f"{source}: kolom `{field}` wajib diisi.")
    try:
        parsed = parser(content, source=source)
    except RulebookError as exc:
        problems.extend(exc.problems)
        return None
    except ValueError as exc:  # the other parsers raise their own ValueError subclasses
        problems.extend(getattr(exc, "problems", None) or [f"{source}: {exc}"])
        return None
    return _Parsed(source, content, content_hash(content), parsed)


def load_rulebooks(paths: Iterable[Path] | None = None) -> list[LoadOutcome]:
    paths = list(paths) if paths is not None else default_paths()
    problems: list[str] = []
    parsed = [p for p in (_read(path, problems) for path in paths) if p is not None]
    seen: dict[tuple[str, str], str] = {}
    for item in parsed:
        key = (item.content["code"], str(item.content["version"]))
        if key in seen:
            problems.append(f"{item.source}: kode {key[0]} versi {key[1]} juga ada di {seen[key]}.")
        seen[key] = item.source
    for item in parsed:
        existing = RulebookVersion.objects.filter(
            rulebook__code=item.content["code"], version=str(item.content["version"])
        ).first()
        if existing and existing.content_hash != item.digest:
            problems.append(
                f"{item.source}: {item.content['code']} versi {item.content['version']} sudah dimuat "
                "dengan isi yang berbeda. Versi yang sudah dimuat tidak pernah diubah; naikkan "
                "`version` untuk memuat isi baru di sampingnya."
            )
    if problems:
        raise RulebookLoadError(problems)
    with transaction.atomic():
        return [_store(item) for item in parsed]


def _store(item: _Parsed) -> LoadOutcome:
    c = item.content
    version_label = str(c["version"])
    rulebook, _ = Rulebook.objects.get_or_create(
        code=c["code"], defaults={"kind": c["kind"], "title": c["title"]}
    )
    existing = RulebookVersion.objects.filter(rulebook=rulebook, version=version_label).first()
    if existing:
        if c.get("current") and not existing.is_current:
            _make_current(existing)
        return LoadOutcome(item.source, c["code"], version_label, "tidak berubah")
    version = RulebookVersion.objects.create(
        rulebook=rulebook,
        kind=c["kind"],
        version=version_label,
        title=c["title"],
        regulation=c.get("regulation", ""),
        effective_date=c.get("effective_date") or None,
        notes=c.get("notes", ""),
        content=c,
        content_hash=item.digest,
        source_file=str(Path("rulebooks") / Path(item.source)),
    )
    if c.get("current"):
        _make_current(version)
    if c["kind"] == RulebookKind.LKE:
        _store_lke_tree(version, item.parsed)
    elif c["kind"] == RulebookKind.PEKPPP:
        from pekppp.rulebooks import store_instrument_tree

        store_instrument_tree(version, item.parsed)
    return LoadOutcome(item.source, c["code"], version_label, "dimuat")


def _make_current(version: RulebookVersion) -> None:
    RulebookVersion.objects.filter(kind=version.kind, is_current=True).exclude(
        pk=version.pk
    ).update(is_current=False)
    version.is_current = True
    version.save(update_fields=["is_current"])


def _store_lke_tree(version: RulebookVersion, rb: LkeRulebook) -> None:
    areas = {
        area.key: LkeArea.objects.create(
            version=version, key=area.key, name=area.name, weight=area.weight, order=i
        )
        for i, area in enumerate(rb.areas)
    }
    order = 0
    options: list[LkeOption] = []

    def add_item(**fields: Any) -> LkeItem:
        nonlocal order
        order += 1
        return LkeItem.objects.create(version=version, order=order, **fields)

    def add_indicator(ind, area: LkeArea, sub: LkeSubArea) -> None:
        item = add_item(
            kind=LkeItemKind.INDICATOR,
            code=ind.code,
            type=ind.type,
            text=ind.text,
            criterion=ind.criterion,
            area=area,
            sub_area=sub,
            evidence_hints=list(ind.evidence_hints),
            workbook_row=ind.workbook_row,
        )
        options.extend(
            LkeOption(item=item, key=o.key, value=o.value, criterion=o.criterion, order=i)
            for i, o in enumerate(ind.options)
        )
        for count_input in ind.inputs:
            add_item(
                kind=LkeItemKind.INPUT,
                code=count_input.code,
                type="JUMLAH",
                text=count_input.text,
                area=area,
                sub_area=sub,
                owner=item,
                workbook_row=count_input.workbook_row,
            )

    sub_order = 0
    for part in rb.parts:
        for part_area in part.areas:
            area = areas[part_area.area]
            for sa in part_area.sub_areas:
                sub_order += 1
                sub = LkeSubArea.objects.create(
                    version=version,
                    area=area,
                    part_key=part.key,
                    part_name=part.name,
                    code=sa.code,
                    name=sa.name,
                    weight=sa.weight,
                    order=sub_order,
                )
                for ind in sa.indicators:
                    add_indicator(ind, area, sub)
                for group in sa.groups:
                    sub_order += 1
                    group_row = LkeSubArea.objects.create(
                        version=version,
                        area=area,
                        part_key=part.key,
                        part_name=part.name,
                        code=group.code,
                        name=group.name,
                        weight=group.weight,
                        parent=sub,
                        order=sub_order,
                    )
                    for ind in group.indicators:
                        add_indicator(ind, area, group_row)
    for component in rb.hasil_components:
        for hi in component.indicators:
            item = add_item(
                kind=LkeItemKind.HASIL,
                code=hi.code,
                type=hi.type,
                text=hi.text,
                criterion=hi.criterion,
                hasil_component=component.key,
                hasil_key=hi.key,
                weight=hi.weight,
                scale_max=hi.scale_max,
                workbook_row=hi.workbook_row,
            )
            options.extend(
                LkeOption(item=item, key=o.key, value=o.value, criterion=o.criterion, order=i)
                for i, o in enumerate(hi.options)
            )
    LkeOption.objects.bulk_create(options)
    thresholds: list[PredikatThreshold] = []
    for p in rb.predikat:
        rows = [(c.criterion, c.min, c.min_percent) for c in p.criteria]
        if p.requires_prior:
            rows.append((f"prior_{p.requires_prior.lower()}", None, None))
        thresholds.extend(
            PredikatThreshold(
                version=version,
                predikat=p.code,
                predikat_name=p.name,
                criterion=criterion,
                minimum=minimum,
                minimum_percent=percent,
                order=i,
            )
            for i, (criterion, minimum, percent) in enumerate(rows)
        )
    PredikatThreshold.objects.bulk_create(thresholds)


_ENGINE_CACHE: dict[str, Any] = {}


def engine_rulebook(version: RulebookVersion) -> Any:
    """The engine's view of a stored version, parsed once per process (versions never change)."""
    cached = _ENGINE_CACHE.get(version.content_hash)
    if cached is None:
        cached = _parsers()[version.kind](version.content, source=version.source_file)
        _ENGINE_CACHE[version.content_hash] = cached
    return cached
