"""The LKE pages' view data: indicator cards with this assessment's answers and messages,
permissions, navigation, and the whole page context (`build_page_context`, reached through
assessments.results.lke_page_context).

The option HTML is most of an LKE page and never changes within a rulebook version, so it is
rendered once per language and card (`option_fragments`) and only joined per request: this
keeps the full page (110 indicators) close to a bare view's time (bench/pages_bench.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments import results
from assessments.engine_texts import warning_text
from assessments.layout import HASIL, Card, LkeLayout
from assessments.models import Assessment, LkeItem
from assessments.reporting import id_number
from assessments.results import (
    LkeState,
    lke_state,
    register_lke_context,
    score_panel_context,
)


@dataclass(slots=True)
class FieldView:
    code: str
    label: str
    value: str
    revision: int = 0
    error: str = ""


_OPTION_INPUT = (
    '<div class="form-check lke-option"><input class="form-check-input" type="radio" '
    'name="val-{code}" id="opt-{code}-{key}" value="{key}"{checked}>'
    '<label class="form-check-label" for="opt-{code}-{key}"><strong>{key}</strong> '
    '<span class="text-muted small">({value})</span> {criterion}</label></div>'
)
_OPTION_READ = (
    '<li class="{cls}"><i class="bi {icon}" aria-hidden="true"></i>{marker} <strong>{key}</strong> '
    '<span class="small">({value})</span> <span class="small">{criterion}</span></li>'
)


_LABELS: dict[str, dict[str, str]] = {}


def card_labels() -> dict[str, str]:
    """The texts every card repeats, translated once per language (not once per card)."""
    language = get_language() or ""
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {
            "answered": _("Terisi"),
            "unanswered": _("Belum diisi"),
            "current": _("Nilai saat ini:"),
            "choose": _("Pilih jawaban"),
            "note": _("Penjelasan"),
            "note_hint": _("Dasar jawaban: dokumen, kegiatan atau data yang mendukung"),
            "save": _("Simpan"),
            "dirty": _("Ada perubahan yang belum disimpan."),
            "history": _("Riwayat perubahan"),
        }
    return labels


def head_fragment(layout: LkeLayout, card: Card) -> str:
    """The indicator's text and criterion (rulebook data: the same in every language)."""
    cache_key = ("", card.code)
    found = layout.fragments.get(cache_key)
    if found is None:
        html = format_html('<p class="fw-semibold mb-1 lke-text">{}</p>', card.text)
        if card.criterion:
            html += format_html(
                '<p class="small text-muted mb-2 lke-criterion">{}</p>',
                linebreaksbr(card.criterion),
            )
        found = layout.fragments[cache_key] = {"": (html,)}
    return found[""][0]


def option_fragments(layout: LkeLayout, card: Card) -> dict[str, tuple[str, str, str, str]]:
    """Option key -> (input, checked input, read-only, read-only chosen) HTML, built once per
    language and card. Escaped here with format_html; joined by `card_view`."""
    cache_key = (get_language() or "", card.code)
    found = layout.fragments.get(cache_key)
    if found is not None:
        return found
    chosen_marker = format_html('<span class="visually-hidden">{}</span>', _("dipilih:"))
    out = {}
    for opt in card.options:
        common = {"code": card.code, "key": opt.key, "value": id_number(opt.value)}
        criterion = opt.criterion
        out[opt.key] = (
            format_html(_OPTION_INPUT, checked="", criterion=criterion, **common),
            format_html(
                _OPTION_INPUT, checked=mark_safe(" checked"), criterion=criterion, **common
            ),
            format_html(
                _OPTION_READ,
                cls="text-muted",
                icon="bi-square",
                marker="",
                criterion=criterion,
                **common,
            ),
            format_html(
                _OPTION_READ,
                cls="lke-chosen",
                icon="bi-check-square-fill text-success",
                marker=chosen_marker,
                criterion=criterion,
                **common,
            ),
        )
    layout.fragments[cache_key] = out
    return out


@dataclass(frozen=True, slots=True)
class ConflictView:
    code: str
    label: str
    by: str
    at: str
    value: str
    note: str
    your_value: str
    your_note: str
    has_value: bool


@dataclass(slots=True)
class CardView:
    """A card as rendered: the static `card` with this assessment's answers and messages."""

    card: Card
    fields: list[FieldView]
    options_html: str
    note: str
    revisions: list[tuple[str, int]]
    answered: bool
    value_text: str
    updated: str
    changes: int
    editable: bool
    percent_text: str = ""
    warning: str = ""
    evaluator_note: str = ""
    note_error: str = ""
    alert: str = ""
    conflicts: list[ConflictView] = field(default_factory=list)
    saved: bool = False
    unchanged: bool = False
    item: LkeItem | None = None  # the stored row of the indicator (for other apps' hooks)
    head_html: str = ""
    save_url: str = ""
    history_url: str = ""

    @property
    def code(self) -> str:
        return self.card.code

    @property
    def field(self) -> FieldView:
        return self.fields[0]


@dataclass(frozen=True, slots=True)
class CardOverride:
    """What a refused or just-saved card shows instead of (or besides) the stored answers."""

    posted: dict[str, str] = field(default_factory=dict)
    posted_note: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: tuple = ()
    yours: dict[str, str] = field(default_factory=dict)  # the refused input, on a conflict
    yours_note: str | None = None
    alert: str = ""
    saved: bool = False
    unchanged: bool = False  # saved, but nothing differed from what was stored


def _percent_text(value: Decimal | None) -> str:
    return "—" if value is None else id_number(value * 100) + "%"


def _value_text(state: LkeState, card: Card) -> str:
    value = state.result.values.get(card.code)
    if value is None:
        return _("Belum diisi")
    if card.control == "persen":
        return _("%(pct)s (nilai %(value)s)") % {
            "pct": _percent_text(value),
            "value": id_number(value),
        }
    if card.section == HASIL:
        score = id_number(state.result.hasil_indicators.get(card.hasil_key))
        shown = state.answers.get(card.code, value)
        shown = id_number(shown) if isinstance(shown, Decimal) else shown
        return _("%(answer)s → skor %(score)s dari %(max)s") % {
            "answer": shown,
            "score": score,
            "max": id_number(card.weight),
        }
    if card.control == "option":
        return _("%(answer)s (nilai %(value)s)") % {
            "answer": state.answers.get(card.code, ""),
            "value": id_number(value),
        }
    return id_number(value)


def card_view(
    state: LkeState,
    card: Card,
    *,
    editable: bool,
    evaluator_note: str = "",
    override: CardOverride | None = None,
    warnings: dict[str, str] | None = None,
    item: LkeItem | None = None,
    urls: tuple[str, str] | None = None,
) -> CardView:
    """`urls`: the save and history URLs with the item code as "__code__" (computed once per
    page rather than reversed for every card)."""
    rows = state.rows
    o = override or CardOverride()
    own = rows.get(card.code)
    if card.control == "persen":
        fields = [
            FieldView(
                i.code,
                i.text,
                o.posted.get(i.code, rows[i.code].value if i.code in rows else ""),
                rows[i.code].revision if i.code in rows else 0,
                o.errors.get(i.code, ""),
            )
            for i in card.inputs
        ]
    else:
        stored = own.value if own else ""
        if card.control in ("indeks", "nilai") and stored:
            stored = stored.replace(".", ",")  # shown the Indonesian way; both are accepted
        fields = [
            FieldView(
                card.code,
                _("Nilai indeks survei")
                if card.control == "indeks"
                else (_("Jawaban") if card.control == "option" else _("Nilai")),
                o.posted.get(card.code, stored),
                own.revision if own else 0,
                o.errors.get(card.code, ""),
            )
        ]
    options_html = ""
    if card.options:
        chosen = fields[0].value
        offset = 0 if editable else 2
        fragments = option_fragments(state.layout, card)
        # Safe: every fragment was built with format_html.
        options_html = mark_safe(
            "".join(fragments[opt.key][offset + (opt.key == chosen)] for opt in card.options)
        )
    save_url, history_url = urls or card_urls(state.assessment.pk)
    revisions = [(card.code, own.revision if own else 0)]
    revisions += [(f.code, f.revision) for f in fields if f.code != card.code]
    latest = max(
        (rows[c] for c in card.codes if c in rows), key=lambda r: r.updated_at, default=None
    )
    updated = ""
    if latest is not None:
        who = (
            latest.updated_by.get_full_name() or latest.updated_by.get_username()
            if latest.updated_by
            else "—"
        )
        updated = _("Terakhir diubah oleh %(by)s, %(at)s") % {
            "by": who,
            "at": timezone.localtime(latest.updated_at).strftime("%d-%m-%Y %H:%M"),
        }
    labels = {i.code: i.text for i in card.inputs}
    conflicts = [
        ConflictView(
            code=c.code,
            label=labels.get(c.code, ""),
            by=c.by,
            at=timezone.localtime(c.at).strftime("%d-%m-%Y %H:%M") if c.at else "—",
            value=c.value or _("(kosong)"),
            note=c.note if c.code == card.code else "",
            your_value=o.yours.get(c.code, "") or _("(kosong)"),
            your_note=(o.yours_note or "") if c.code == card.code else "",
            has_value=not (c.code == card.code and card.control == "persen"),
        )
        for c in o.conflicts
    ]
    return CardView(
        card=card,
        fields=fields,
        options_html=options_html,
        note=o.posted_note if o.posted_note is not None else (own.note if own else ""),
        revisions=revisions,
        answered=state.result.values.get(card.code) is not None,
        value_text=_value_text(state, card),
        percent_text=_percent_text(state.result.values.get(card.code))
        if card.control == "persen"
        else "",
        updated=updated,
        changes=sum(rows[c].revision for c in card.codes if c in rows),
        editable=editable,
        warning=(warnings or {}).get(card.code, ""),
        evaluator_note=evaluator_note,
        note_error=o.errors.get("note", ""),
        alert=o.alert,
        conflicts=conflicts,
        saved=o.saved,
        unchanged=o.unchanged,
        item=item,
        head_html=head_fragment(state.layout, card),
        save_url=save_url.replace("__code__", card.code),
        history_url=history_url.replace("__code__", card.code),
    )


def card_warnings(state: LkeState) -> dict[str, str]:
    """Card code -> the scoring warnings about it (zero denominator, capped), translated."""
    warnings: dict[str, str] = {}
    for w in state.result.warnings:
        text = warning_text(w)
        warnings[w.code] = (warnings[w.code] + " " if w.code in warnings else "") + text
    return warnings


def card_urls(pk: int) -> tuple[str, str]:
    return (
        reverse("assessments:save_item", args=[pk, "__code__"]),
        reverse("assessments:item_history", args=[pk, "__code__"]),
    )


def card_views(
    state: LkeState,
    cards: Iterable[Card],
    *,
    editable: bool,
    evaluator_notes: dict[str, str],
    overrides: dict[str, CardOverride] | None = None,
    items: dict[str, LkeItem] | None = None,
    urls: tuple[str, str] | None = None,
) -> list[CardView]:
    items = items or {}
    warnings = card_warnings(state)
    overrides = overrides or {}
    urls = urls or card_urls(state.assessment.pk)
    return [
        card_view(
            state,
            card,
            editable=editable,
            evaluator_note=evaluator_notes.get(card.code, ""),
            override=overrides.get(card.code),
            warnings=warnings,
            item=items.get(card.code),
            urls=urls,
        )
        for card in cards
    ]


def items_by_code(assessment: Assessment, codes: Iterable[str] | None = None) -> dict[str, LkeItem]:
    """The stored rows of the cards' indicators (one query): other apps key their per-item data
    by these rows."""
    qs = LkeItem.objects.filter(version_id=assessment.rulebook_id).exclude(kind="input")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {item.code: item for item in qs}


@dataclass(frozen=True, slots=True)
class Permissions:
    can_view: bool
    can_fill: bool  # the unit team, while the assessment is draft or returned
    can_submit: bool
    can_manage: bool
    holds_fill_role: bool  # may fill in principle (the state may still forbid it)


def permissions_for(assessment: Assessment, user) -> Permissions:
    from organizations.access import AssessmentAction, can_on_assessment

    editable = assessment.is_editable_by_unit
    fill = can_on_assessment(user, assessment, AssessmentAction.FILL)
    return Permissions(
        can_view=True,
        can_fill=fill and editable,
        can_submit=editable and can_on_assessment(user, assessment, AssessmentAction.SUBMIT),
        can_manage=can_on_assessment(user, assessment, AssessmentAction.MANAGE),
        holds_fill_role=fill,
    )


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    name: str
    done: int
    total: int
    url: str
    active: bool

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


def nav_items(state: LkeState, active: str | None) -> list[NavItem]:
    pk = state.assessment.pk
    return [
        NavItem(
            s.key,
            s.name,
            *state.progress[s.key],
            reverse("assessments:lke_section", args=[pk, s.key]),
            s.key == active,
        )
        for s in state.layout.sections
    ]


def _evidence_context(assessment: Assessment, user) -> dict[str, Any]:
    """Bukti dukung of every card in one query, for the evidence panel included in each card
    (templates/assessments/_item_evidence.html)."""
    from evidence.services import attachments_by_item

    return {"evidence_by_item": attachments_by_item(assessment)}


def _default_hooks() -> None:
    from django.apps import apps

    if apps.is_installed("evidence"):
        try:
            from evidence.services import attachments_by_item  # noqa: F401
        except ImportError:  # the evidence app is not finished yet
            return
        register_lke_context(_evidence_context)


def js_messages() -> dict[str, str]:
    return {
        "fill_all": _("isi semua jumlah"),
        "whole_number": _("jumlah ditulis sebagai bilangan bulat 0 atau lebih, mis. 12"),
        "capped": _("dibatasi 100%"),
        "send_error": _(
            "Tidak dapat terhubung ke server. Jawaban belum tersimpan; periksa koneksi lalu "
            "klik Simpan lagi."
        ),
        "forbidden": _("Anda tidak berhak mengubah LKE ini. Muat ulang halaman."),
        "error": _(
            "Jawaban belum tersimpan karena terjadi kesalahan. Muat ulang halaman lalu coba lagi."
        ),
        "unsaved": _("Ada jawaban yang belum disimpan."),
    }


def build_page_context(
    assessment: Assessment,
    user,
    *,
    section: str | None = None,
    overrides: dict[str, CardOverride] | None = None,
    with_cards: bool = True,
) -> dict[str, Any]:
    """The context of every LKE page: permissions, navigation, score panel and (for the LKE
    pages) the indicator cards of one section, or of all sections when `section` is None.
    Raises KeyError for an unknown section."""
    state = lke_state(assessment)
    perms = permissions_for(assessment, user)
    # Looked up on the module at call time: the evaluator issue (and tests) replace it.
    notes = results.evaluator_notes_by_item(assessment) if assessment.status == "returned" else {}
    sections = []
    if with_cards:
        chosen = [state.layout.section(section)] if section else list(state.layout.sections)
        items = items_by_code(
            assessment, None if section is None else [c.code for c in chosen[0].cards]
        )
        urls = card_urls(assessment.pk)
        for sec in chosen:
            parts = []
            for part in sec.parts:
                blocks = [
                    (
                        block,
                        card_views(
                            state,
                            block.cards,
                            editable=perms.can_fill,
                            evaluator_notes=notes,
                            overrides=overrides,
                            items=items,
                            urls=urls,
                        ),
                    )
                    for block in part.blocks
                ]
                cards = [c for _, views in blocks for c in views]
                done = sum(1 for c in cards if c.answered)
                parts.append((part, blocks, done, len(cards)))
            sections.append((sec, parts))
    nav = nav_items(state, section)
    index = next((i for i, n in enumerate(nav) if n.active), None)
    context: dict[str, Any] = {
        "assessment": assessment,
        "state": state,
        "perms": perms,
        "sections": sections,
        "current_section": section,
        "lke_nav": nav,
        "prev_section": nav[index - 1] if index else None,
        "next_section": nav[index + 1] if index is not None and index + 1 < len(nav) else None,
        "evaluator_notes": notes,
    }
    context.update(score_panel_context(state))
    context["lke_js_messages"] = js_messages()
    context["t"] = card_labels()
    if not results.LKE_CONTEXT_HOOKS:
        _default_hooks()
    for hook in results.LKE_CONTEXT_HOOKS:
        context.update(hook(assessment, user))
    return context
