"""The view data of the TPI evaluation form (assessments/admin_views.py renders it): one row per
indicator with the unit's answer, penjelasan and evidence beside the TPI's answer and catatan,
grouped by area, the side-by-side figures and verdicts, and the reading of the posted form.

The 113 rows (and their evidence) are most of the page. Their HTML is built here with
`format_html`, the parts that never change within a rulebook version (indicator text and
criteria) once per process and language, so that the page stays within a few times Django's plain
change view (bench/tpi_bench.py) rather than paying the template engine per field.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.engine import Verdict
from assessments.evaluation import (
    AnswerChange,
    ReviewChange,
    answer_text,
    missing_indicators,
    review_key,
)
from assessments.layout import HASIL, Card
from assessments.models import Assessment, LkeItem
from assessments.reporting import id_number
from assessments.results import LkeState, criterion_label, id_short


def digest(value: str | None, note: str | None = "") -> str:
    """A short fingerprint of what the page showed, so that only fields the evaluator changed
    are sent to the service (and another evaluator's edits elsewhere are kept)."""
    text = f"{(value or '').strip()}\x1f{(note or '').replace(chr(13), '').strip()}"
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def clean_note(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def posted_changes(post, layout) -> list[AnswerChange]:
    """The answer fields whose posted content differs from what the page showed."""
    changes = []
    for section in layout.sections:
        for card in section.cards:
            for code in card.codes:
                shown = post.get(f"s:{code}")
                if shown is None:
                    continue  # not on the page (read-only page, or another form)
                is_card = code == card.code
                value = (
                    None if (is_card and card.control == "persen") else post.get(f"v:{code}", "")
                )
                note = clean_note(post.get(f"n:{code}", "")) if is_card else None
                if digest(value, note) == shown:
                    continue
                try:
                    revision = int(post.get(f"r:{code}", "0"))
                except ValueError:
                    revision = 0
                changes.append(AnswerChange(code, value, note, revision))
    return changes


def posted_reviews(post) -> list[ReviewChange]:
    reviews = []
    for key in post:
        if not key.startswith("evs:"):
            continue
        try:
            pk = int(key[4:])
        except ValueError:
            continue
        status = post.get(f"ev:{pk}", "")
        note = clean_note(post.get(f"evn:{pk}", "")).strip()
        if digest(status, note) != post[key]:
            reviews.append(ReviewChange(pk, status, note))
    return reviews


_ITEM_IDS: dict[str, dict[str, int]] = {}


def _item_ids(assessment: Assessment) -> dict[str, int]:
    """code -> LkeItem id of the assessment's rulebook version (read once per process: a used
    version never changes)."""
    key = assessment.rulebook.content_hash + f":{assessment.rulebook_id}"
    found = _ITEM_IDS.get(key)
    if found is None:
        found = _ITEM_IDS[key] = dict(
            LkeItem.objects.filter(version_id=assessment.rulebook_id).values_list("code", "pk")
        )
    return found


@dataclass(slots=True)
class AttachmentView:
    pk: int
    title: str
    document_date: object
    kind: str
    url: str
    preview_url: str
    revision_text: str
    newer_text: str
    status: str
    note: str
    shown: str
    error: str = ""


@dataclass(slots=True)
class InputView:
    code: str
    text: str
    unit_value: str
    value: str
    revision: int
    shown: str
    error: str = ""


@dataclass(slots=True)
class RowView:
    """One indicator of the form. `html` is the whole table row."""

    code: str
    compare: str  # lower | higher | same | pending
    has_error: bool
    html: SafeString = field(default_factory=SafeString)


@dataclass(slots=True)
class BlockView:
    code: str
    name: str
    rows: list[RowView]


@dataclass(slots=True)
class SectionView:
    key: str
    name: str
    parts: list[tuple[str, list[BlockView]]]
    done: int = 0
    total: int = 0
    differ: int = 0
    lower: int = 0
    unit_score: str = "—"
    tpi_score: str = "—"
    max: str = ""
    has_error: bool = False


def _figure(control: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if control == "persen":
        return id_number(value * 100) + "%"
    return id_number(value)


def _compare(unit: Decimal | None, tpi: Decimal | None) -> str:
    if tpi is None:
        return "pending"
    if unit is None or tpi == unit:
        return "same"
    return "lower" if tpi < unit else "higher"


def _labels() -> dict[str, str]:
    """The texts every row repeats, translated once per request."""
    from evidence.models import ReviewStatus

    labels = {
        "criteria": _("Kriteria jawaban"),
        "value": _("Nilai"),
        "explanation": _("Penjelasan:"),
        "preview": _("pratinjau"),
        "review_status": _("Status reviu"),
        "review_note": _("Catatan reviu (wajib bila perlu perbaikan)"),
        "no_evidence": _("Tidak ada bukti dukung"),
        "tpi_answer": _("Jawaban TPI"),
        "not_evaluated": _("— belum dinilai —"),
        "unit_answer": _("jawaban unit"),
        "tpi_note": _("Catatan TPI untuk unit"),
        "note": _("Catatan:"),
        "saved": _("Nilai TPI tersimpan"),
        "lower": _("lebih rendah dari unit"),
        "higher": _("lebih tinggi dari unit"),
        "link": _("tautan"),
        "revision": _("revisi %(n)s"),
        "newer": _("unit sudah mengunggah revisi %(n)s"),
        **{f"status:{value}": str(label) for value, label in ReviewStatus.choices},
    }
    # Templates with %(n)s stay raw (filled, then escaped, per use); the rest is HTML-ready.
    return {k: v if "%(" in v else html.escape(v) for k, v in labels.items()}


class _Urls:
    """Evidence links without one `reverse` per attachment."""

    def __init__(self) -> None:
        self.download = reverse("evidence:download", args=[987654321, 123456789])
        self.preview = reverse("evidence:preview", args=[987654321, 123456789])

    @staticmethod
    def _fill(pattern: str, pk: int, number: int) -> str:
        return pattern.replace("987654321", str(pk)).replace("123456789", str(number))

    def file(self, pk: int, number: int) -> str:
        return self._fill(self.download, pk, number)

    def view(self, pk: int, number: int) -> str:
        return self._fill(self.preview, pk, number)


@dataclass(frozen=True, slots=True)
class _Attached:
    """What the form shows of one attachment (read with `values_list`, no model rows)."""

    pk: int
    item_id: int
    status: str
    review_note: str
    evidence_id: int
    kind: str
    title: str
    document_date: object
    link_url: str
    number: int | None
    content_type: str | None
    current_number: int | None


def attachments_by_item(assessment: Assessment) -> dict[int, list[_Attached]]:
    """item id -> the assessment's attachments on it, in one query."""
    from evidence.models import Attachment

    grouped: dict[int, list[_Attached]] = {}
    rows = (
        Attachment.objects.filter(assessment=assessment)
        .order_by("item_id", "attached_at", "pk")
        .values_list(
            "pk",
            "item_id",
            "status",
            "review_note",
            "evidence_id",
            "evidence__kind",
            "evidence__title",
            "evidence__document_date",
            "evidence__link_url",
            "revision__number",
            "revision__content_type",
            "evidence__current_revision__number",
        )
    )
    for row in rows:
        attached = _Attached(*row)
        grouped.setdefault(attached.item_id, []).append(attached)
    return grouped


def _attachment_views(
    attachments: list[_Attached], posted, errors, labels, urls: _Urls
) -> list[AttachmentView]:
    from evidence.validators import PREVIEWABLE_TYPES

    out = []
    for a in attachments:
        if a.kind == "link":
            url, preview, revision_text = a.link_url, "", labels["link"]
        elif a.number is not None:
            url = urls.file(a.evidence_id, a.number)
            preview = (
                urls.view(a.evidence_id, a.number) if a.content_type in PREVIEWABLE_TYPES else ""
            )
            revision_text = labels["revision"] % {"n": a.number}
        else:
            url, preview, revision_text = "", "", ""
        newer = ""
        if a.number is not None and a.current_number is not None and a.current_number != a.number:
            newer = labels["newer"] % {"n": a.current_number}
        status, note = a.status, a.review_note
        shown = digest(status, note)
        key = f"ev:{a.pk}"
        if posted is not None and key in posted:
            status = posted.get(key, status)
            note = clean_note(posted.get(f"evn:{a.pk}", note))
            shown = posted.get(f"evs:{a.pk}", shown)
        out.append(
            AttachmentView(
                pk=a.pk,
                title=a.title,
                document_date=a.document_date,
                kind=a.kind,
                url=url,
                preview_url=preview,
                revision_text=revision_text,
                newer_text=newer,
                status=status,
                note=note,
                shown=shown,
                error=errors.get(review_key(a.pk), ""),
            )
        )
    return out


# --------------------------------------------------------------------------- row HTML
# Built with f-strings: every value from the database or the request goes through `_e`
# (html.escape, as Django's escape does) or `_br` (escaped, line breaks as <br>); the labels are
# translations, escaped once per request in `_labels`.

_STATIC: dict[tuple[str, str, str], str] = {}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _br(text: str) -> str:
    return _e(text.replace("\r\n", "\n")).replace("\n", "<br>")


def _indicator_cell(layout_key: str, card: Card, labels: dict[str, str]) -> str:
    """The indicator's code, text and criteria (rulebook data), once per process and language."""
    key = (layout_key, get_language() or "", card.code)
    found = _STATIC.get(key)
    if found is None:
        criteria = ""
        if card.criterion or card.options:
            body = f"<p>{_br(card.criterion)}</p>" if card.criterion else ""
            if card.options:
                items = "".join(
                    f"<li><b>{_e(o.key)}</b> {_e(o.criterion)}</li>" for o in card.options
                )
                body += f"<ul>{items}</ul>"
            criteria = (
                f'<details class="tpi-crit"><summary>{labels["criteria"]}</summary>{body}</details>'
            )
        found = _STATIC[key] = (
            f'<td class="c-ind"><span class="tpi-code">{_e(card.code)}</span> '
            f"{_e(card.text)}{criteria}</td>"
        )
    return found


def _errors(*messages: str, testid: str = "") -> str:
    items = "".join(f"<li>{_e(m)}</li>" for m in messages if m)
    if not items:
        return ""
    attr = f' data-testid="{_e(testid)}"' if testid else ""
    return f'<ul class="errorlist"{attr}>{items}</ul>'


def _note_html(label: str, text: str) -> str:
    return f'<div class="tpi-note"><span>{label}</span> {_br(text)}</div>' if text else ""


def _unit_cell(
    card: Card, unit_value: str, unit_figure: str, unit_note: str, inputs, labels
) -> str:
    if card.control == "persen":
        items = "".join(
            f"<li>{_e(i.text)}: <strong>{_e(i.unit_value or '—')}</strong></li>" for i in inputs
        )
        answer = (
            f'<ul class="tpi-inputs">{items}</ul>'
            f"<div>{labels['value']}: <strong>{_e(unit_figure)}</strong></div>"
        )
    elif unit_value:
        shown = answer_text(unit_value)
        answer = f'<strong class="tpi-answer">{_e(shown)}</strong>'
        if shown != unit_figure:  # an option's value; an index is its own figure
            answer += f' <span class="tpi-fig">({_e(unit_figure)})</span>'
    else:
        answer = '<strong class="tpi-answer">—</strong>'
    return f'<td class="c-unit">{answer}{_note_html(labels["explanation"], unit_note)}</td>'


_REVIEW_STATUSES = ("belum_direviu", "diterima", "perlu_perbaikan")


def _evidence_cell(attachments: list[AttachmentView], editable: bool, labels) -> str:
    if not attachments:
        return f'<td class="c-ev"><span class="tpi-muted">{labels["no_evidence"]}</span></td>'
    parts = []
    for a in attachments:
        if a.url:
            extra = ' target="_blank" rel="noopener noreferrer"' if a.kind == "link" else ""
            title = f'<a href="{_e(a.url)}"{extra}>{_e(a.title)}</a>'
        else:
            title = _e(a.title)
        date = a.document_date.strftime("%d-%m-%Y") if a.document_date else ""
        meta = f' <span class="tpi-muted">{_e(a.revision_text)} · {date}</span>'
        if a.preview_url:
            meta += (
                f' · <a href="{_e(a.preview_url)}" target="_blank" rel="noopener">'
                f"{labels['preview']}</a>"
            )
        if a.newer_text:
            meta += f'<div class="tpi-muted">{_e(a.newer_text)}</div>'
        pk = a.pk
        if editable:
            options = "".join(
                f'<option value="{value}"{" selected" if value == a.status else ""}>'
                f"{labels['status:' + value]}</option>"
                for value in _REVIEW_STATUSES
            )
            review = (
                f'<div class="tpi-review"><input type="hidden" name="evs:{pk}" value="{_e(a.shown)}">'
                f'<label class="tpi-label" for="ev-{pk}">{labels["review_status"]}</label>'
                f'<select name="ev:{pk}" id="ev-{pk}" data-testid="review-{pk}">{options}</select>'
                f'<label class="tpi-label" for="evn-{pk}">{labels["review_note"]}</label>'
                f'<textarea name="evn:{pk}" id="evn-{pk}" rows="1">{_e(a.note)}</textarea>'
                f"{_errors(a.error)}</div>"
            )
        else:
            status = labels.get("status:" + a.status, _e(a.status))
            note = f" — {_e(a.note)}" if a.note else ""
            review = f'<div><span class="tpi-review-status st-{_e(a.status)}">{status}</span>{note}</div>'
        error = " has-error" if a.error else ""
        parts.append(f'<div class="tpi-att{error}">{title}{meta}{review}</div>')
    return f'<td class="c-ev">{"".join(parts)}</td>'


def _tpi_cell(
    card: Card,
    *,
    editable: bool,
    value: str,
    note: str,
    revision: int,
    shown: str,
    unit_value: str,
    inputs: list[InputView],
    tpi_figure: str,
    compare: str,
    error: str,
    conflict: str,
    labels,
) -> str:
    code = _e(card.code)
    parts = []
    if editable:
        parts.append(
            f'<input type="hidden" name="s:{code}" value="{_e(shown)}">'
            f'<input type="hidden" name="r:{code}" value="{int(revision)}">'
        )
        if card.control == "option":
            options = "".join(
                f'<option value="{_e(o.key)}" data-v="{o.value}"'
                f"{' selected' if o.key == value else ''}>{_e(o.key)} ({id_number(o.value)})"
                f"{' · ' + labels['unit_answer'] if o.key == unit_value else ''}</option>"
                for o in card.options
            )
            parts.append(
                f'<label class="tpi-label" for="v-{code}">{labels["tpi_answer"]}</label>'
                f'<select name="v:{code}" id="v-{code}" data-testid="tpi-{code}">'
                f'<option value="">{labels["not_evaluated"]}</option>{options}</select>'
            )
        elif card.control == "persen":
            for i in inputs:
                icode = _e(i.code)
                parts.append(
                    f'<div class="tpi-input{" has-error" if i.error else ""}">'
                    f'<input type="hidden" name="s:{icode}" value="{_e(i.shown)}">'
                    f'<input type="hidden" name="r:{icode}" value="{int(i.revision)}">'
                    f'<label class="tpi-label" for="v-{icode}">{_e(i.text)}</label>'
                    f'<input type="number" min="0" step="1" inputmode="numeric" name="v:{icode}" '
                    f'id="v-{icode}" value="{_e(i.value)}" data-testid="tpi-{icode}">'
                    f"{_errors(i.error)}</div>"
                )
        else:
            scale = f" (0–{id_short(card.scale_max)})" if card.control == "indeks" else " (0–1)"
            parts.append(
                f'<label class="tpi-label" for="v-{code}">{labels["tpi_answer"]}{scale}</label>'
                f'<input type="text" inputmode="decimal" name="v:{code}" id="v-{code}" '
                f'value="{_e(value)}" size="8" data-testid="tpi-{code}">'
            )
        parts.append(
            f'<label class="tpi-label" for="n-{code}">{labels["tpi_note"]}</label>'
            f'<textarea name="n:{code}" id="n-{code}" rows="2" data-testid="note-{code}">'
            f"{_e(note)}</textarea>"
        )
    else:
        if card.control == "persen":
            items = "".join(
                f"<li>{_e(i.text)}: <strong>{_e(i.value or '—')}</strong></li>" for i in inputs
            )
            parts.append(f'<ul class="tpi-inputs">{items}</ul>')
        else:
            parts.append(f'<strong class="tpi-answer">{_e(value or "—")}</strong>')
        parts.append(_note_html(labels["note"], note))
    flag = (
        f'<span class="tpi-flag {compare}">{labels[compare]}</span>'
        if compare in ("lower", "higher")
        else ""
    )
    parts.append(
        f'<div class="tpi-result">{labels["saved"]}: <strong>{_e(tpi_figure)}</strong> {flag}</div>'
    )
    parts.append(_errors(error, testid=f"error-{card.code}"))
    parts.append(_errors(conflict))
    return f'<td class="c-tpi">{"".join(parts)}</td>'


def build_sections(
    assessment: Assessment,
    unit: LkeState,
    tpi: LkeState | None,
    *,
    editable: bool,
    posted=None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, str] | None = None,
    attachments: dict[int, list[_Attached]] | None = None,
) -> list[SectionView]:
    """Every area (then Hasil) with one row per indicator: the unit's answer, penjelasan and
    evidence, and the TPI's answer and catatan (the posted ones when the page comes back with
    errors). Figures are the engine's values of each card. A fixed number of queries.
    `attachments`: `attachments_by_item(assessment)` when the caller has read it already."""
    errors = errors or {}
    conflicts = conflicts or {}
    labels = _labels()
    urls = _Urls()
    layout = unit.layout
    layout_key = assessment.rulebook.content_hash
    item_ids = _item_ids(assessment)
    if attachments is None:
        attachments = attachments_by_item(assessment)
    tpi_rows = tpi.rows if tpi else {}
    tpi_values = tpi.result.values if tpi else {}
    unit_values = unit.result.values
    rb = unit.rulebook
    area_max = {a.key: a.weight for a in rb.areas}

    def field(code: str, stored_value: str, stored_note: str | None):
        row = tpi_rows.get(code)
        revision = row.revision if row else 0
        shown = digest(stored_value, stored_note)
        value, note = stored_value, stored_note
        if posted is not None and f"s:{code}" in posted:
            if code not in conflicts:
                shown = posted.get(f"s:{code}", shown)
                with contextlib.suppress(ValueError):
                    revision = int(posted.get(f"r:{code}", revision))
            value = posted.get(f"v:{code}", value)
            if stored_note is not None:
                note = clean_note(posted.get(f"n:{code}", note or ""))
        return value, note, revision, shown

    sections = []
    for section in layout.sections:
        view = SectionView(section.key, section.name, [])
        for part in section.parts:
            blocks = []
            for block in part.blocks:
                rows = []
                for card in block.cards:
                    u = unit.rows.get(card.code)
                    t = tpi_rows.get(card.code)
                    # An index or nilai is shown (and its fingerprint taken) with the
                    # decimal comma, so an untouched 3,72 is not sent back as a change.
                    value, note, revision, shown = field(
                        card.code,
                        "" if card.control == "persen" else answer_text(t.value if t else ""),
                        t.note if t else "",
                    )
                    unit_value = u.value if u else ""
                    inputs = []
                    for ci in card.inputs:
                        ui, ti = unit.rows.get(ci.code), tpi_rows.get(ci.code)
                        iv, _in, irev, ishown = field(ci.code, ti.value if ti else "", None)
                        inputs.append(
                            InputView(
                                ci.code,
                                ci.text,
                                ui.value if ui else "",
                                iv,
                                irev,
                                ishown,
                                errors.get(ci.code, "") or conflicts.get(ci.code, ""),
                            )
                        )
                    uv, tv = unit_values.get(card.code), tpi_values.get(card.code)
                    compare = _compare(uv, tv)
                    error = errors.get(card.code, "")
                    conflict = conflicts.get(card.code, "")
                    evidence = _attachment_views(
                        attachments.get(item_ids.get(card.code), ()), posted, errors, labels, urls
                    )
                    has_error = bool(
                        error
                        or conflict
                        or any(i.error for i in inputs)
                        or any(a.error for a in evidence)
                    )
                    unit_figure = _figure(card.control, uv)
                    cells = "".join(
                        (
                            _indicator_cell(layout_key, card, labels),
                            _unit_cell(
                                card, unit_value, unit_figure, u.note if u else "", inputs, labels
                            ),
                            _evidence_cell(evidence, editable, labels),
                            _tpi_cell(
                                card,
                                editable=editable,
                                value=value,
                                note=note or "",
                                revision=revision,
                                shown=shown,
                                unit_value=unit_value,
                                inputs=inputs,
                                tpi_figure=_figure(card.control, tv),
                                compare=compare,
                                error=error,
                                conflict=conflict,
                                labels=labels,
                            ),
                        )
                    )
                    code = _e(card.code)
                    rank = str(uv) if uv is not None else ""
                    # Every part above is escaped where it is built (see _e).
                    html_row = mark_safe(
                        f'<tr id="row-{code}" class="tpi-row is-{compare}'
                        f'{" has-error" if has_error else ""}" data-code="{code}" '
                        f'data-unit="{rank}">{cells}</tr>'
                    )
                    rows.append(RowView(card.code, compare, has_error, html_row))
                    view.total += 1
                    view.done += tv is not None
                    view.differ += compare in ("lower", "higher")
                    view.lower += compare == "lower"
                    view.has_error |= has_error
                blocks.append(BlockView(block.code, block.name, rows))
            view.parts.append((part.name, blocks))
        if section.key == HASIL:
            view.max = id_short(rb.hasil_weight)
            view.unit_score = id_number(unit.result.hasil)
            view.tpi_score = id_number(tpi.result.hasil) if tpi else "—"
        else:
            view.max = id_short(area_max[section.key])
            view.unit_score = id_number(unit.result.areas[section.key].score)
            view.tpi_score = id_number(tpi.result.areas[section.key].score) if tpi else "—"
        sections.append(view)
    return sections


@dataclass(frozen=True, slots=True)
class FigureRow:
    label: str
    max: str
    unit: str
    tpi: str
    delta: str
    compare: str
    level: int = 0


def _delta(unit: Decimal | None, tpi: Decimal | None) -> tuple[str, str]:
    if unit is None or tpi is None:
        return "—", "pending"
    diff = tpi - unit
    text = id_number(diff)
    if text in ("0,00", "-0,00"):
        return "0,00", "same"
    return ("+" + text if diff > 0 else text), ("higher" if diff > 0 else "lower")


def figure_rows(
    unit: LkeState, tpi: LkeState | None, complete: set[str] | frozenset[str] = frozenset()
) -> list[FigureRow]:
    """Total, Pengungkit and its parts, every area, Hasil and its components: unit vs TPI.
    The difference is shown only where the TPI has evaluated every indicator behind the figure
    (`complete`: section keys), so a half-done evaluation does not read as a fall."""
    rb, ur = unit.rulebook, unit.result
    tr = tpi.result if tpi else None
    areas_done = all(a.key in complete for a in rb.areas)
    rows = []

    def add(label, maximum, u, t, done, level=0):
        delta, compare = _delta(u, t) if done else ("—", "partial" if t is not None else "pending")
        rows.append(
            FigureRow(
                str(label),
                id_short(maximum),
                id_number(u),
                id_number(t) if t is not None else "—",
                delta,
                compare,
                level,
            )
        )

    add(
        _("Nilai total"),
        Decimal(100),
        ur.total,
        tr.total if tr else None,
        areas_done and HASIL in complete,
    )
    add(
        rb.pengungkit_name or _("Pengungkit"),
        rb.pengungkit_weight,
        ur.pengungkit,
        tr.pengungkit if tr else None,
        areas_done,
    )
    for part in rb.parts:
        add(
            part.name,
            part.weight,
            ur.parts[part.key],
            tr.parts[part.key] if tr else None,
            areas_done,
            1,
        )
    for area in rb.areas:
        add(
            area.name,
            area.weight,
            ur.areas[area.key].score,
            tr.areas[area.key].score if tr else None,
            area.key in complete,
            1,
        )
    add(
        rb.hasil_name or _("Hasil"),
        rb.hasil_weight,
        ur.hasil,
        tr.hasil if tr else None,
        HASIL in complete,
    )
    for comp in rb.hasil_components:
        add(
            comp.name,
            comp.weight,
            ur.hasil_components[comp.key],
            tr.hasil_components[comp.key] if tr else None,
            HASIL in complete,
            1,
        )
    return rows


@dataclass(frozen=True, slots=True)
class CriterionView:
    label: str
    required: str
    unit: str
    unit_passed: bool
    tpi: str
    tpi_passed: bool | None


@dataclass(frozen=True, slots=True)
class VerdictView:
    code: str
    name: str
    is_target: bool
    unit_meets: bool
    tpi_meets: bool | None
    criteria: list[CriterionView]


def _missing(state: LkeState) -> int:
    """Unanswered indicators, counted as the page counts them (`SectionView.done`): a
    percentage indicator and its count inputs are one indicator."""
    return len(missing_indicators(state.layout, state.result.incomplete))


def _criterion_text(c, missing: int) -> tuple[str, str]:
    """(the side's value, the requirement). `missing`: that side's unanswered indicators, which
    the "complete" criterion shows instead of the engine's count of answer codes."""
    if c.criterion == "complete":
        return (
            _("lengkap") if c.passed else _("%(n)s belum diisi") % {"n": missing},
            _("lengkap"),
        )
    if c.required is None:
        return (_("ya") if c.passed else _("belum")), _("ya")
    return id_number(c.value), id_number(c.required)


def verdict_views(unit: LkeState, tpi: LkeState | None, target: str) -> list[VerdictView]:
    rb = unit.rulebook
    unit_missing = _missing(unit)
    tpi_missing = _missing(tpi) if tpi else 0
    out = []
    for predikat in rb.predikat:
        uv: Verdict = unit.verdicts[predikat.code]
        tv: Verdict | None = tpi.verdicts[predikat.code] if tpi else None
        criteria = []
        for i, c in enumerate(uv.criteria):
            unit_text, required = _criterion_text(c, unit_missing)
            tc = tv.criteria[i] if tv else None
            criteria.append(
                CriterionView(
                    criterion_label(rb, c.criterion),
                    required,
                    unit_text,
                    c.passed,
                    _criterion_text(tc, tpi_missing)[0] if tc else "—",
                    tc.passed if tc else None,
                )
            )
        out.append(
            VerdictView(
                predikat.code,
                predikat.name,
                predikat.code == target,
                uv.meets,
                tv.meets if tv else None,
                criteria,
            )
        )
    return out
