"""The unit's LKE pages: overview, indicator cards by area, Hasil, eligibility, submission.

Every view starts with the access funnel (404 outside scope, 403 without the right). Saves
answer htmx with the card (and the score panel and navigation swapped out of band) and fall back
to a plain form post that redirects back to the card's anchor.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import results, services
from assessments.forms import InstansiFactsForm, UnitFactsForm, card_changes, posted_values
from assessments.lke_page import (
    CardOverride,
    card_labels,
    card_view,
    card_warnings,
    items_by_code,
    nav_items,
    permissions_for,
)
from assessments.models import Answer, InstansiFacts, Status, UnitFactsRecord
from assessments.reporting import answer_text, id_number
from assessments.results import (
    eligibility_rows,
    item_url,
    lke_layout,
    lke_page_context,
    lke_state,
    score_panel_context,
)
from organizations.access import (
    AssessmentAction,
    can_on_assessment,
    get_assessment_for,
    visible_assessments,
)


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = (
        visible_assessments(request.user)
        .annotate(answered=Count("answers", filter=~Q(answers__value="")))
        .order_by("-year", "unit__code", "target")
    )
    # Share of the answer fields filled (one query for the whole list).
    rows = [
        (a, round(100 * a.answered / max(1, len(lke_layout(a.rulebook).answer_codes))))
        for a in assessments.defer("rulebook__content")
    ]
    return render(request, "assessments/list.html", {"rows": rows})


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    context = lke_page_context(assessment, request.user, with_cards=False)
    context["events"] = _events(assessment)
    context["eligibility_counts"] = _eligibility_counts(_eligibility(assessment)[0])
    context["first_open"] = next((n for n in context["lke_nav"] if n.done < n.total), None)
    context["previous"] = (
        services.previous_assessment(assessment.unit, assessment.year, assessment.target)
        if context["perms"].can_fill and not context["state"].rows
        else None
    )
    snapshot = getattr(assessment, "snapshot", None) if assessment.is_final else None
    tpi_result = (snapshot.content.get("tpi") or {}).get("result") if snapshot else None
    if tpi_result and "next_step_text" not in context and context["perms"].holds_fill_role:
        verdict = tpi_result["verdicts"].get(assessment.target, {})
        context["next_step_text"] = _(
            "Penilaian TPI sudah final: nilai TPI %(total)s, %(verdict)s %(target)s. Panel skor di "
            "samping menampilkan nilai mandiri unit. Pimpinan instansi memutuskan usulan ke TPN."
        ) % {
            "total": id_number(Decimal(tpi_result["total"])),
            "verdict": _("memenuhi syarat") if verdict.get("meets") else _("belum memenuhi syarat"),
            "target": assessment.get_target_display(),
        }
    if assessment.status == "returned":
        # Where the TPI wrote a note: the unit's to-do list after a return.
        layout = context["state"].layout
        context["tpi_notes"] = [
            {
                "code": code,
                "text": card.text,
                "note": note,
                "url": item_url(assessment, layout, code),
            }
            for code, note in context["evaluator_notes"].items()
            if (card := layout.cards.get(code)) is not None and note.strip()
        ]
    if assessment.status == "final" and can_on_assessment(
        request.user, assessment, AssessmentAction.PROPOSE
    ):
        from assessments.evaluation import final_verdict, tpi_meets_target

        context["tpi_meets"] = tpi_meets_target(assessment)
        if not context["tpi_meets"] and snapshot is not None:
            context["tpi_failed"] = final_verdict(snapshot).failed
        context["next_step_text"] = (
            _(
                "Penilaian TPI sudah final dan hasilnya memenuhi target. Periksa hasilnya, lalu usulkan unit ke TPN."
            )
            if context["tpi_meets"]
            else _(
                "Penilaian TPI sudah final, tetapi hasilnya belum memenuhi syarat %(target)s; unit "
                "ini tidak dapat diusulkan ke TPN untuk tahun %(year)s. Syarat yang belum terpenuhi "
                "ada di bawah; unit dapat memperbaikinya pada penilaian tahun berikutnya."
            )
            % {"target": assessment.get_target_display(), "year": assessment.year}
        )
    return render(request, "assessments/overview.html", context)


@login_required
@require_GET
def lke(request: HttpRequest, pk: int, section: str | None = None) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    try:
        context = lke_page_context(assessment, request.user, section=section)
    except KeyError:
        raise Http404 from None
    return render(request, "assessments/lke.html", context)


@login_required
@require_POST
def save_item(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, AssessmentAction.FILL)
    card = lke_layout(assessment.rulebook).cards.get(code)
    if card is None:
        raise Http404
    override, status = _save(request, assessment, card)
    if request.htmx:
        return _card_response(request, assessment, card, override, status)
    if status == 200 and override.unchanged:
        messages.info(request, _("Tidak ada perubahan pada %(code)s.") % {"code": code})
        return redirect(item_url(assessment, lke_layout(assessment.rulebook), code))
    if status == 200:
        messages.success(request, _("Jawaban %(code)s disimpan.") % {"code": code})
        return redirect(item_url(assessment, lke_layout(assessment.rulebook), code))
    context = lke_page_context(
        assessment, request.user, section=card.section, overrides={code: override}
    )
    return render(request, "assessments/lke.html", context, status=status)


def _save(request: HttpRequest, assessment, card) -> tuple[CardOverride, int]:
    posted = posted_values(request.POST, card)
    note = request.POST.get("note")
    changes = card_changes(request.POST, card)
    try:
        rows = services.save_answers(assessment=assessment, changes=changes, by=request.user)
    except services.AnswerInvalid as exc:
        # The card's own row carries the penjelasan: an error there is the note's when the
        # card's value is not a field of its own (a percentage indicator).
        errors = {
            ("note" if k == card.code and k not in posted else k): v for k, v in exc.errors.items()
        }
        return CardOverride(posted=posted, posted_note=note, errors=errors, alert=exc.message), 422
    except services.AnswerConflict as exc:
        return CardOverride(
            conflicts=tuple(exc.conflicts), alert=exc.message, yours=posted, yours_note=note
        ), 409
    except services.AssessmentLocked as exc:
        return CardOverride(alert=exc.message), 409
    except OperationalError as exc:
        # SQLite (development) refuses a write that races another one instead of waiting.
        if "locked" not in str(exc):
            raise
        message = _("Jawaban lain sedang disimpan pada saat yang sama; klik Simpan sekali lagi.")
        return CardOverride(posted=posted, posted_note=note, alert=message), 409
    expected = {c.code: c.expected_revision for c in changes}
    changed = any(row.revision != expected.get(row.item.code) for row in rows)
    return CardOverride(saved=changed, unchanged=not changed), 200


def _card_response(request, assessment, card, override: CardOverride, status: int) -> HttpResponse:
    state = lke_state(assessment, refresh=True)
    perms = permissions_for(assessment, request.user)
    # The TPI's note stays on the card after the unit saves it (the same rule as the page).
    notes = results.evaluator_notes_by_item(assessment) if assessment.status == "returned" else {}
    context = {
        "assessment": assessment,
        "perms": perms,
        "c": card_view(
            state,
            card,
            editable=perms.can_fill,
            evaluator_note=notes.get(card.code, ""),
            warnings=card_warnings(state),
            override=override,
            item=items_by_code(assessment, [card.code]).get(card.code),
        ),
        "lke_nav": nav_items(state, card.section),
        "oob": True,
        "t": card_labels(),
        **score_panel_context(state),
    }
    return render(request, "assessments/_card_response.html", context, status=status)


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    card = lke_layout(assessment.rulebook).cards.get(code)
    if card is None:
        raise Http404
    records = (
        Answer.history.filter(assessment_id=assessment.pk, item__code__in=card.codes)
        .select_related("history_user", "item")
        .order_by("history_date", "history_id")
    )
    entries = _history_entries(records)
    template = "assessments/_history.html" if request.htmx else "assessments/history.html"
    return render(request, template, {"assessment": assessment, "card": card, "entries": entries})


def _history_entries(records) -> list[dict]:
    """Each saved change as old -> new, newest first."""
    last: dict[str, tuple[str, str]] = {}
    entries = []
    for r in records:
        before = last.get(r.item.code, ("", ""))
        after = (r.value, r.note)
        last[r.item.code] = after
        user = r.history_user
        entries.append(
            {
                "code": r.item.code,
                "at": r.history_date,
                "by": (user.get_full_name() or user.get_username()) if user else "—",
                "old_value": answer_text(before[0]),
                "new_value": answer_text(after[0]),
                "value_changed": before[0] != after[0],
                "old_note": before[1],
                "new_note": after[1],
                "note_changed": before[1] != after[1],
                "reason": r.history_change_reason or "",
            }
        )
    return entries[::-1]


@login_required
@require_GET
def score_panel(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    context = {"assessment": assessment, **score_panel_context(lke_state(assessment))}
    return render(request, "assessments/_score_panel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    action = AssessmentAction.SUBMIT if request.method == "POST" else AssessmentAction.VIEW
    assessment = get_assessment_for(request.user, pk, action)
    error, status = "", 200
    if request.method == "POST":
        try:
            services.submit_assessment(
                assessment=assessment, by=request.user, note=request.POST.get("note", "")
            )
        except services.AssessmentError as exc:
            error, status = (
                exc.message,
                (
                    422
                    if isinstance(
                        exc, services.SubmissionIncomplete | services.SubmissionLacksEvidence
                    )
                    else 409
                ),
            )
        else:
            messages.success(
                request, _("LKE sudah dikirim ke TPI. Terima kasih; kini LKE hanya dapat dibaca.")
            )
            return redirect("assessments:detail", pk=assessment.pk)
    context = lke_page_context(assessment, request.user, with_cards=False)
    context["missing"] = _missing(assessment, context["state"])
    context["missing_evidence"] = _missing_evidence(assessment)
    context["error"] = error
    if context["perms"].can_submit:
        context["next_step_text"] = (
            _(
                "Lengkapi dulu indikator di daftar merah di bawah (klik kodenya), lalu buka lagi halaman ini."
            )
            if context["missing"]
            else _("Unggah bukti dukung untuk indikator di daftar merah di bawah, lalu kirim lagi.")
            if context["missing_evidence"]
            else _("Periksa hasil sementara, lalu klik “Ya, kirim LKE ke TPI”.")
        )
    context["eligibility_counts"] = _eligibility_counts(_eligibility(assessment)[0])
    return render(request, "assessments/submit.html", context, status=status)


def _missing_evidence(assessment) -> list[dict]:
    """Indicators answered above their lowest option that have no bukti dukung (the gate)."""
    from evidence.services import items_missing_evidence

    return [
        {
            "code": item.code,
            "text": item.text,
            "url": reverse("evidence:item", args=[assessment.pk, item.pk]),
        }
        for item in items_missing_evidence(assessment)
    ]


def _missing(assessment, state) -> list[dict]:
    """The unanswered items, grouped by card, each with a link."""
    layout = state.layout
    out: dict[str, dict] = {}
    for code in state.result.incomplete:
        card_code = layout.card_of.get(code, code)
        card = layout.cards.get(card_code)
        entry = out.setdefault(
            card_code,
            {
                "code": card_code,
                "text": card.text if card else "",
                "url": item_url(assessment, layout, card_code),
                "inputs": [],
            },
        )
        if card is not None and code != card_code:
            entry["inputs"].append(next((i.text for i in card.inputs if i.code == code), code))
    return list(out.values())


def _events(assessment) -> list[dict]:
    from assessments.audit import EVENT_LABELS

    out = []
    for e in assessment.events.select_related("by").order_by("-at", "-pk")[:20]:
        label = EVENT_LABELS.get(e.action)
        if label is None and e.to_status:
            label = Status(e.to_status).label
        out.append({"at": e.at, "by": e.by, "label": label or e.action, "note": e.note})
    return out


# --------------------------------------------------------------------------- eligibility


def _eligibility_counts(rows) -> dict[str, int]:
    counts = {"met": 0, "not_met": 0, "not_filled": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


def _eligibility(assessment):
    instansi_facts = InstansiFacts.objects.filter(
        instansi_id=assessment.unit.instansi_id, year=assessment.year
    ).first()
    unit_facts = UnitFactsRecord.objects.filter(assessment=assessment).first()
    return eligibility_rows(assessment, instansi_facts, unit_facts), instansi_facts, unit_facts


@login_required
@require_GET
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    return _render_eligibility(request, assessment)


def _render_eligibility(request, assessment, *, unit_form=None, instansi_form=None, status=200):
    rows, instansi_facts, unit_facts = _eligibility(assessment)
    context = lke_page_context(assessment, request.user, with_cards=False)
    context["current_section"] = "kriteria"
    perms = context["perms"]
    if perms.can_fill:
        context["next_step_text"] = _(
            "Isi data unit kerja di bawah lalu klik “Simpan data unit”; data instansi diisi "
            "operator. Status setiap kriteria dihitung otomatis dari data itu."
        )
    elif perms.can_manage:
        context["next_step_text"] = _(
            "Isi data instansi untuk tahun ini lalu klik “Simpan data instansi”; data itu "
            "berlaku untuk semua unit kerja instansi."
        )
    context.update(
        rows=rows,
        instansi_facts=instansi_facts,
        unit_facts=unit_facts,
        unit_form=unit_form
        or UnitFactsForm(initial=UnitFactsForm.initial_from(unit_facts, assessment.unit.has_wbk)),
        instansi_form=instansi_form or InstansiFactsForm(instance=instansi_facts),
    )
    return render(request, "assessments/eligibility.html", context, status=status)


@login_required
@require_POST
def save_unit_facts(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, AssessmentAction.FILL)
    form = UnitFactsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
        return _render_eligibility(request, assessment, unit_form=form, status=422)
    try:
        services.save_unit_facts(
            assessment=assessment, facts=form.facts(), has_wbk=form.has_wbk_value(), by=request.user
        )
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:eligibility", pk=assessment.pk)
    messages.success(request, _("Data kriteria unit disimpan."))
    return redirect(reverse("assessments:eligibility", args=[assessment.pk]) + "#kriteria-unit")


@login_required
@require_POST
def save_instansi_facts(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, AssessmentAction.MANAGE)
    instance = InstansiFacts.objects.filter(
        instansi_id=assessment.unit.instansi_id, year=assessment.year
    ).first()
    form = InstansiFactsForm(request.POST, instance=instance)
    if not form.is_valid():
        messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
        return _render_eligibility(request, assessment, instansi_form=form, status=422)
    services.save_instansi_facts(
        instansi=assessment.unit.instansi,
        year=assessment.year,
        facts=form.cleaned_data,
        by=request.user,
    )
    messages.success(
        request, _("Data kriteria instansi tahun %(year)s disimpan.") % {"year": assessment.year}
    )
    return redirect(reverse("assessments:eligibility", args=[assessment.pk]) + "#kriteria-instansi")


@login_required
@require_POST
def copy_previous(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk, AssessmentAction.FILL)
    try:
        copied = services.copy_previous_answers(assessment=assessment, by=request.user)
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)s jawaban disalin. Periksa setiap area dan perbarui yang sudah berubah.")
            % {"n": copied},
        )
    return redirect("assessments:detail", pk=assessment.pk)
