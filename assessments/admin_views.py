"""The pages of the TPI evaluation admin (wired in assessments/admin.py): the evaluation form,
the audit trail, export and import of answers, the operator's assignment step; and the
pimpinan instansi's proposal page on the site (`propose`).

Every page starts from the access funnel (the admin's `get_queryset` and `admin_roles`), and
every change is one service call of assessments.evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import evaluation, resources
from assessments.audit import (
    EVENT_LABELS,
    audit_entries,
    display_name,
    facts_display,
    status_label,
)
from assessments.evaluation import (
    EVALUATION_EDITABLE,
    FINAL_STATES,
    AnswerChange,
    tpi_state,
)
from assessments.evaluation_page import (
    attachments_by_item,
    build_sections,
    clean_note,
    figure_rows,
    posted_changes,
    posted_reviews,
    verdict_views,
)
from assessments.models import (
    Assessment,
    AssessmentDecision,
    AssessmentSnapshot,
    EvaluatorFacts,
    InstansiFacts,
    Predikat,
    Status,
    UnitFactsRecord,
)
from assessments.results import (
    eligibility_rows,
    lke_layout,
    lke_state,
)
from assessments.services import (
    UNIT_FACT_FIELDS,
    AnswerConflict,
    AnswerInvalid,
    AssessmentError,
)
from organizations import access
from organizations.access import AssessmentAction, get_assessment_for
from organizations.models import Role

# --------------------------------------------------------------------------- access


def admin_roles(request: HttpRequest, assessment: Assessment) -> frozenset[str]:
    """The roles that give this user the assessment in the admin (TPI only when assigned),
    remembered per request and assessment."""
    if not (request.user.is_active and request.user.is_staff):
        return frozenset()
    cache = request.__dict__.setdefault("_zi_admin_roles", {})
    if assessment.pk not in cache:
        roles = access.roles_on_assessment(request.user, assessment)
        cache[assessment.pk] = roles & {Role.TPI, Role.OPERATOR}
    return cache[assessment.pk]


def can(request: HttpRequest, assessment: Assessment, action: AssessmentAction) -> bool:
    return bool(admin_roles(request, assessment)) and access.can_on_assessment(
        request.user, assessment, action
    )


def change_url(assessment: Assessment) -> str:
    return reverse("admin:assessments_assessment_change", args=[assessment.pk])


# --------------------------------------------------------------------------- forms


class _YesNoUnknown(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Belum diisi")), ("true", _("Ya")), ("false", _("Tidak"))]


class EvaluatorFactsForm(forms.ModelForm):
    """The TPI's verified unit facts (the same fields as the unit's own record)."""

    class Meta:
        model = EvaluatorFacts
        fields = list(UNIT_FACT_FIELDS)
        widgets = {
            "core_service": _YesNoUnknown(),
            "significant_impact": _YesNoUnknown(),
            "tlhp_percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
            "lhkpn_percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
            "lhkasn_percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
            "pencanangan_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "wbbm_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        for name in ("tlhp_percent", "lhkpn_percent", "lhkasn_percent"):
            value = data.get(name)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                self.add_error(name, _("Isi persen antara 0 dan 100."))
        return data


class DecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=gettext_lazy("Keputusan TPN"),
        choices=[("1", gettext_lazy("Predikat diberikan")), ("0", gettext_lazy("Tidak diberikan"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decree_number = forms.CharField(
        label=gettext_lazy("Nomor keputusan"), max_length=200, required=False
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Tanggal keputusan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if error := evaluation.decision_date_error(decided_on):
            raise forms.ValidationError(error)
        return decided_on


def _site_url(name: str, assessment: Assessment) -> str:
    """A page of the site for this assessment, or "" where it is not mounted."""
    try:
        return reverse(name, args=[assessment.pk])
    except NoReverseMatch:
        return ""


def _board_url(request: HttpRequest, assessment: Assessment) -> str:
    """The leadership dashboard, for a user who leads the unit (else "")."""
    if not access.can_lead_unit(request.user, assessment.unit):
        return ""
    try:
        return reverse("leadership:board")
    except NoReverseMatch:
        return ""


_DOT_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")


def _id_text(text) -> str:
    """A stored display text with Indonesian decimals (7.00 -> 7,00); older snapshots kept
    some figures with the point."""
    return _DOT_DECIMAL.sub(r"\1,\2", str(text)) if text not in (None, "") else "—"


def _render(
    model_admin,
    request: HttpRequest,
    assessment: Assessment,
    *,
    posted=None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, str] | None = None,
    facts_form: EvaluatorFactsForm | None = None,
    decision_form: DecisionForm | None = None,
    return_note: str = "",
    final_note: str = "",
    form_error: str = "",
    status: int = 200,
) -> TemplateResponse:
    unit = lke_state(assessment)
    tpi = tpi_state(assessment)
    can_evaluate = can(request, assessment, AssessmentAction.EVALUATE)
    can_manage = can(request, assessment, AssessmentAction.MANAGE)
    editable = can_evaluate and assessment.status in EVALUATION_EDITABLE
    unit_facts = UnitFactsRecord.objects.filter(assessment=assessment).first()
    tpi_facts = EvaluatorFacts.objects.filter(assessment=assessment).first()
    instansi_facts = InstansiFacts.objects.filter(
        instansi_id=assessment.unit.instansi_id, year=assessment.year
    ).first()
    if facts_form is None and editable:
        facts_form = EvaluatorFactsForm(
            prefix="fakta", instance=tpi_facts or EvaluatorFacts(assessment=assessment)
        )
    facts_rows = []
    for name in UNIT_FACT_FIELDS:
        model_field = EvaluatorFacts._meta.get_field(name)
        facts_rows.append(
            {
                "label": model_field.verbose_name,
                "unit": facts_display(unit_facts, name),
                "tpi": facts_display(tpi_facts, name),
                "field": facts_form[name] if facts_form is not None else None,
            }
        )
    attachments = attachments_by_item(assessment)
    sections = build_sections(
        assessment,
        unit,
        tpi,
        editable=editable,
        posted=posted,
        errors=errors,
        conflicts=conflicts,
        attachments=attachments,
    )
    reviews_open = evaluation.open_reviews(
        assessment, (a.status for group in attachments.values() for a in group)
    )
    field_errors = dict(errors or {})
    snapshot = (
        AssessmentSnapshot.objects.filter(assessment=assessment)
        .select_related("finalised_by", "rulebook")
        .first()
        if assessment.status in FINAL_STATES
        else None
    )
    decision = (
        AssessmentDecision.objects.filter(assessment=assessment).first()
        if assessment.status == Status.DECIDED
        else None
    )
    final_verdict = (
        evaluation.final_verdict(snapshot)
        if snapshot is not None and assessment.status == Status.FINAL
        else None
    )
    events = [
        {
            "at": e.at,
            "by": display_name(e.by),
            "label": EVENT_LABELS.get(e.action) or status_label(e.to_status) or e.action,
            "note": e.note,
        }
        for e in assessment.events.select_related("by").order_by("-at", "-pk")[:8]
    ]
    done = sum(s.done for s in sections)
    total = sum(s.total for s in sections)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Assessment._meta,
        "app_label": "assessments",
        "title": _("Evaluasi TPI: %(unit)s %(year)s")
        % {"unit": assessment.unit.name, "year": assessment.year},
        "subtitle": None,
        "original": assessment,
        "assessment": assessment,
        "unit_state": unit,
        "tpi_state": tpi,
        "sections": sections,
        "figures": figure_rows(unit, tpi, {s.key for s in sections if s.done == s.total}),
        "verdicts": verdict_views(unit, tpi, assessment.target),
        "target_name": Predikat(assessment.target).label,
        "eligibility": eligibility_rows(assessment, instansi_facts, tpi_facts or unit_facts),
        "eligibility_source_tpi": tpi_facts is not None,
        "facts_rows": facts_rows,
        "facts_form": facts_form,
        "instansi_facts": instansi_facts,
        "editable": editable,
        "can_evaluate": can_evaluate,
        "can_manage": can_manage,
        "can_open": assessment.status == Status.SUBMITTED and (can_evaluate or can_manage),
        "can_decide": assessment.status == Status.PROPOSED and can_manage,
        "decision_form": decision_form
        or (DecisionForm() if assessment.status == Status.PROPOSED and can_manage else None),
        "decision": decision,
        "snapshot": snapshot,
        "final_verdict": final_verdict,
        "next_year": assessment.year + 1,
        "events": events,
        "evaluators": [a.evaluator for a in assessment.assignments.all()],
        "review_warning": reviews_open.warning() if editable else "",
        "done": done,
        "total": total,
        "missing": total - done,
        "differ": sum(s.differ for s in sections),
        "lower": sum(s.lower for s in sections),
        "errors": field_errors,
        "has_errors": bool(field_errors or conflicts or form_error),
        "form_error": form_error,
        "return_note": return_note,
        "final_note": final_note,
        "unit_lke_url": _site_url("assessments:lke", assessment),
        "propose_url": _site_url("assessments:propose", assessment),
        "history_url": reverse("admin:assessments_assessment_history", args=[assessment.pk]),
        "export_xlsx_url": reverse(
            "admin:assessments_assessment_export", args=[assessment.pk, "xlsx"]
        ),
        "export_csv_url": reverse(
            "admin:assessments_assessment_export", args=[assessment.pk, "csv"]
        ),
        "import_url": reverse("admin:assessments_assessment_import", args=[assessment.pk]),
        "is_final": assessment.status in FINAL_STATES,
        "review_statuses": _review_statuses(),
    }
    return TemplateResponse(
        request, "admin/assessments/assessment/evaluation.html", context, status=status
    )


def _review_statuses() -> list[tuple[str, str]]:
    from evidence.models import ReviewStatus

    return list(ReviewStatus.choices)


def evaluation_view(model_admin, request: HttpRequest, assessment: Assessment) -> HttpResponse:
    if request.method == "POST":
        return _post(model_admin, request, assessment)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return _render(model_admin, request, assessment)


def _post(model_admin, request: HttpRequest, assessment: Assessment) -> HttpResponse:
    action = request.POST.get("_action", "")
    back = redirect(change_url(assessment))
    try:
        if action == "open":
            evaluation.open_review(assessment=assessment, by=request.user)
            messages.success(
                request,
                _("Penilaian dimulai. Isi jawaban TPI per area, lalu klik “Simpan penilaian”."),
            )
            return back
        if action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                return _render(model_admin, request, assessment, decision_form=form, status=400)
            data = form.cleaned_data
            decision = evaluation.record_decision(
                assessment=assessment,
                granted=data["granted"],
                decree_number=data["decree_number"],
                decided_on=data["decided_on"],
                note=data["note"],
                by=request.user,
            )
            messages.success(
                request,
                _("Keputusan TPN dicatat: %(what)s.")
                % {"what": _("predikat diberikan") if decision.granted else _("tidak diberikan")},
            )
            return back
        if action in ("save", "return", "finalise"):
            return _save(model_admin, request, assessment, action)
    except PermissionDenied:
        raise
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return back
    return HttpResponse(status=400)


def _save(model_admin, request: HttpRequest, assessment: Assessment, action: str) -> HttpResponse:
    if not can(request, assessment, AssessmentAction.EVALUATE):
        raise PermissionDenied
    post = request.POST
    return_note = clean_note(post.get("return_note", "")).strip()
    final_note = clean_note(post.get("final_note", "")).strip()
    tpi_facts = EvaluatorFacts.objects.filter(assessment=assessment).first()
    facts_form = EvaluatorFactsForm(
        post, prefix="fakta", instance=tpi_facts or EvaluatorFacts(assessment=assessment)
    )
    again = {
        "posted": post,
        "facts_form": facts_form,
        "return_note": return_note,
        "final_note": final_note,
        "status": 400,
    }
    if action == "return" and not return_note:
        return _render(
            model_admin,
            request,
            assessment,
            form_error=_("Tuliskan catatan umum untuk unit sebelum mengembalikan LKE."),
            **again,
        )
    if facts_form.is_bound and not facts_form.is_valid():
        return _render(
            model_admin,
            request,
            assessment,
            form_error=_("Periksa data kriteria pengajuan yang ditandai; belum ada yang disimpan."),
            **again,
        )
    layout = lke_layout(assessment.rulebook)
    changes = posted_changes(post, layout)
    reviews = posted_reviews(post)
    facts = (
        {k: facts_form.cleaned_data[k] for k in facts_form.changed_data if k in UNIT_FACT_FIELDS}
        if facts_form.has_changed()
        else None
    )
    try:
        outcome = evaluation.save_evaluation(
            assessment=assessment, changes=changes, reviews=reviews, facts=facts, by=request.user
        )
    except AnswerInvalid as exc:
        return _render(
            model_admin, request, assessment, errors=exc.errors, form_error=exc.message, **again
        )
    except AnswerConflict as exc:
        conflicts = {
            c.code: _("Diubah oleh %(by)s: jawaban terbaru “%(value)s”, catatan “%(note)s”.")
            % {"by": c.by, "value": evaluation.answer_text(c.value) or "—", "note": c.note or "—"}
            for c in exc.conflicts
        }
        return _render(
            model_admin,
            request,
            assessment,
            conflicts=conflicts,
            form_error=exc.message,
            **{**again, "status": 409},
        )
    saved = outcome.answers + outcome.reviews + outcome.facts
    if saved:
        messages.success(
            request,
            _("Tersimpan: %(a)s jawaban TPI, %(r)s reviu bukti dukung, %(f)s data kriteria.")
            % {"a": outcome.answers, "r": outcome.reviews, "f": outcome.facts},
        )
    elif action == "save":
        messages.info(request, _("Tidak ada perubahan untuk disimpan."))
    back = redirect(change_url(assessment))
    if action == "return":
        evaluation.return_assessment(assessment=assessment, note=return_note, by=request.user)
        messages.success(
            request,
            _(
                "LKE dikembalikan ke unit dengan catatan. Unit kini dapat memperbaiki dan mengirim lagi."
            ),
        )
    elif action == "finalise":
        snapshot = evaluation.finalise_assessment(
            assessment=assessment, by=request.user, note=final_note
        )
        messages.success(
            request,
            _("Penilaian difinalkan dan dikunci. Kode verifikasi rekaman final: %(code)s.")
            % {"code": snapshot.verification_code},
        )
    return back


# --------------------------------------------------------------------------- actions


def run_for_each(request: HttpRequest, queryset, fn, *, done: str) -> None:
    """Run a service on each selected assessment; report what worked and why others did not."""
    ok = []
    for assessment in queryset:
        label = f"{assessment.unit.code} {assessment.year}"
        try:
            fn(assessment)
        except PermissionDenied:
            messages.error(request, _("%(a)s: Anda tidak berwenang.") % {"a": label})
        except AssessmentError as exc:
            messages.error(request, f"{label}: {exc.message}")
        else:
            ok.append(label)
    if ok:
        messages.success(request, done % {"list": ", ".join(ok)})


def assign_view(model_admin, request: HttpRequest, queryset):
    """The operator picks TPI members for the selected assessments (an intermediate page of the
    admin action); returns None when done so the admin goes back to the list."""
    from django.contrib.auth import get_user_model

    assessments = list(queryset.select_related("unit", "unit__instansi"))
    instansi_ids = {a.unit.instansi_id for a in assessments}
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role=Role.TPI, memberships__instansi_id__in=instansi_ids
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    error = ""
    if request.POST.get("apply"):
        chosen = list(users.filter(pk__in=request.POST.getlist("evaluators")))
        if chosen:
            try:
                outcome = evaluation.assign_evaluators(
                    assessments=assessments, evaluators=chosen, by=request.user
                )
            except AssessmentError as exc:
                error = exc.message
            else:
                if outcome.assigned:
                    messages.success(
                        request,
                        _("%(n)s penugasan dibuat: %(list)s.")
                        % {
                            "n": len(outcome.assigned),
                            "list": "; ".join(
                                f"{display_name(u)} → {a.unit.code} {a.year}"
                                for a, u in outcome.assigned
                            ),
                        },
                    )
                if outcome.already:
                    messages.info(
                        request,
                        _("Sudah ditugaskan sebelumnya: %(list)s.")
                        % {
                            "list": "; ".join(
                                f"{display_name(u)} → {a.unit.code} {a.year}"
                                for a, u in outcome.already
                            )
                        },
                    )
                for a, reason in outcome.refused:
                    messages.error(request, f"{a.unit.code} {a.year}: {reason}")
                return None
        else:
            error = _("Pilih sedikitnya satu evaluator TPI.")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Tugaskan evaluator TPI"),
        "opts": Assessment._meta,
        "assessments": assessments,
        "users": users,
        "error": error,
        "action_checkbox_name": "_selected_action",
    }
    return TemplateResponse(request, "admin/assessments/assessment/assign.html", context)


# --------------------------------------------------------------------------- audit trail


def history_view(model_admin, request: HttpRequest, assessment: Assessment) -> HttpResponse:
    entries = audit_entries(assessment)
    kinds = {
        "event": _("Status dan kejadian"),
        "review": _("Reviu bukti dukung"),
        "unit": _("Jawaban unit"),
        "tpi": _("Jawaban TPI"),
        "assign": _("Penugasan"),
        "facts": _("Data kriteria"),
    }
    kind = request.GET.get("jenis", "")
    if kind in kinds:
        entries = [e for e in entries if e.kind == kind]
    page = Paginator(entries, 100).get_page(request.GET.get("hal"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Assessment._meta,
        "title": _("Riwayat penilaian: %(a)s") % {"a": assessment},
        "assessment": assessment,
        "original": assessment,
        "page": page,
        "kinds": kinds,
        "kind": kind,
        "change_url": change_url(assessment),
    }
    return TemplateResponse(request, "admin/assessments/assessment/history.html", context)


# --------------------------------------------------------------------------- export / import


def export_view(request: HttpRequest, assessment: Assessment, fmt: str) -> HttpResponse:
    if fmt not in resources.FORMATS:
        raise Http404
    data = resources.export_answers(assessment, fmt)
    if isinstance(data, str):
        data = ("\ufeff" + data).encode()  # a BOM so that spreadsheet programs read UTF-8
    response = HttpResponse(data, content_type=resources.FORMATS[fmt].CONTENT_TYPE)
    name = f"lke-{assessment.unit.code}-{assessment.year}-{assessment.target}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


IMPORT_SALT = "assessments.tpi-import"
IMPORT_MAX_AGE = 3600


@dataclass
class ImportPreview:
    changes: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    payload: str = ""


def _by_row(problems: list[tuple[int | None, str]]) -> list[str]:
    """The problems in the file's order: those of the whole file first, then by row number,
    then those no row could be found for."""

    def key(problem: tuple[int | None, str]) -> tuple[int, int]:
        row = problem[0]
        return (0, 0) if row is None else (1, row) if row > 0 else (2, 0)

    return [text for _row, text in sorted(problems, key=key)]


def _preview(
    request: HttpRequest, assessment: Assessment, name: str, content: bytes
) -> ImportPreview:
    read = resources.read_import(assessment, name, content, by=request.user)
    preview = ImportPreview()
    problems: list[tuple[int | None, str]] = [
        (row, _("Baris %(row)s: %(msg)s") % {"row": row, "msg": message} if row else message)
        for row, message in read.problems
    ]
    if not read.changes:
        preview.problems = _by_row(problems)
        return preview
    tpi = tpi_state(assessment)
    stored = tpi.rows if tpi else {}
    changes = [
        c
        if c.expected_revision >= 0
        else AnswerChange(
            c.code, c.value, c.note, stored[c.code].revision if c.code in stored else 0
        )
        for c in read.changes
    ]
    planned, errors = evaluation.check_evaluator_answers(
        assessment=assessment, changes=changes, by=request.user
    )
    layout = lke_layout(assessment.rulebook)
    for code, message in errors.items():
        card = layout.cards.get(code)
        rows_of_card = [
            read.row_of[c] for c in (card.codes if card else (code,)) if c in read.row_of
        ]
        row = rows_of_card[0] if rows_of_card else None
        problems.append(
            (
                row or -1,  # -1: no row found, listed last
                _("Baris %(row)s (%(code)s): %(msg)s")
                % {"row": row or "—", "code": code, "msg": message},
            )
        )
    preview.problems = _by_row(problems)
    for p in planned:
        card = layout.cards.get(layout.card_of.get(p.item.code, p.item.code))
        preview.changes.append(
            {
                "row": read.row_of.get(p.item.code, ""),
                "code": p.item.code,
                "text": card.text if card and card.code == p.item.code else p.item.text,
                "old_value": evaluation.answer_text(p.old_value),
                "new_value": evaluation.answer_text(p.value),
                "old_note": p.old_note,
                "new_note": p.note,
            }
        )
    if not preview.problems and planned:
        preview.payload = signing.dumps(
            {
                "a": assessment.pk,
                "u": request.user.pk,
                "c": [[c.code, c.value, c.note, c.expected_revision] for c in changes],
            },
            salt=IMPORT_SALT,
            compress=True,
        )
    return preview


def import_view(model_admin, request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Import the TPI's answers from a filled export: a dry run lists every change and every
    problem; only a preview without problems can be confirmed, and the confirmation writes
    through `save_evaluator_answers` (the same checks again, including conflicts)."""
    if not can(request, assessment, AssessmentAction.EVALUATE):
        raise PermissionDenied
    preview, error = None, ""
    editable = assessment.status in EVALUATION_EDITABLE
    if request.method == "POST" and editable:
        if "payload" in request.POST:
            try:
                data = signing.loads(
                    request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
                )
            except signing.BadSignature:
                error = _("Pratinjau sudah kedaluwarsa atau tidak sah. Unggah berkasnya lagi.")
            else:
                if data.get("a") != assessment.pk or data.get("u") != request.user.pk:
                    raise PermissionDenied
                changes = [AnswerChange(c, v, n, r) for c, v, n, r in data["c"]]
                try:
                    saved = evaluation.save_evaluator_answers(
                        assessment=assessment, changes=changes, by=request.user
                    )
                except (AnswerInvalid, AnswerConflict) as exc:
                    error = (
                        exc.message
                        + " "
                        + "; ".join(
                            f"{code}: {msg}" for code, msg in getattr(exc, "errors", {}).items()
                        )
                    )
                except AssessmentError as exc:
                    error = exc.message
                else:
                    messages.success(
                        request,
                        _("Impor selesai: %(n)s jawaban TPI diperbarui.") % {"n": len(saved)},
                    )
                    return redirect(change_url(assessment))
        else:
            upload = request.FILES.get("berkas")
            if upload is None:
                error = _("Pilih berkas xlsx yang akan diimpor.")
            elif upload.size and upload.size > resources.IMPORT_MAX_BYTES:
                error = resources.too_large(upload.size)
            else:
                content = upload.read(resources.IMPORT_MAX_BYTES + 1)
                try:
                    preview = _preview(request, assessment, upload.name or "", content)
                except AssessmentError as exc:
                    error = exc.message
    elif request.method == "POST":
        error = _("Impor hanya dapat dilakukan saat penilaian berstatus “Dinilai TPI”.")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Assessment._meta,
        "title": _("Impor jawaban TPI: %(a)s") % {"a": assessment},
        "assessment": assessment,
        "original": assessment,
        "preview": preview,
        "error": error,
        "editable": editable,
        "change_url": change_url(assessment),
        "export_url": reverse("admin:assessments_assessment_export", args=[assessment.pk, "xlsx"]),
        "max_kb": resources.IMPORT_MAX_BYTES // 1024,
    }
    status = 400 if error or (preview and preview.problems) else 200
    return TemplateResponse(
        request, "admin/assessments/assessment/import.html", context, status=status
    )


# --------------------------------------------------------------------------- proposal (site)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The pimpinan instansi proposes a finalised unit to the national team (TPN)."""
    action = AssessmentAction.PROPOSE if request.method == "POST" else AssessmentAction.VIEW
    assessment = get_assessment_for(request.user, pk, action)
    error = ""
    if request.method == "POST":
        try:
            evaluation.propose_assessment(
                assessment=assessment, by=request.user, note=request.POST.get("note", "")
            )
        except AssessmentError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(unit)s diusulkan ke TPN untuk predikat %(p)s.")
                % {"unit": assessment.unit.name, "p": Predikat(assessment.target).label},
            )
            return redirect(request.path)
    snapshot = (
        AssessmentSnapshot.objects.filter(assessment=assessment)
        .select_related("rulebook", "assessment")
        .first()
    )
    verdict = evaluation.final_verdict(snapshot) if snapshot else None
    proposed = (
        assessment.events.filter(action="propose").order_by("-at", "-pk").first()
        if assessment.status in (Status.PROPOSED, Status.DECIDED)
        else None
    )
    context = {
        "assessment": assessment,
        "snapshot": snapshot,
        "tpi_total": verdict.total if verdict else "—",
        "meets": bool(verdict and verdict.meets),
        "failed": verdict.failed if verdict else [],
        "eligibility": [
            {**row, "value": _id_text(row.get("value")), "required": _id_text(row.get("required"))}
            for row in (snapshot.content.get("eligibility", []) if snapshot else [])
        ],
        "can_propose": assessment.status == Status.FINAL
        and access.can_on_assessment(request.user, assessment, AssessmentAction.PROPOSE),
        "target_name": Predikat(assessment.target).label,
        "next_year": assessment.year + 1,
        "proposed_at": proposed.at if proposed else None,
        "decision": AssessmentDecision.objects.filter(assessment=assessment).first()
        if assessment.status == Status.DECIDED
        else None,
        "overview_url": _site_url("assessments:detail", assessment),
        "board_url": _board_url(request, assessment),
        "error": error,
    }
    return TemplateResponse(
        request,
        "admin/assessments/assessment/propose.html",
        context,
        status=409 if error else 200,
    )
