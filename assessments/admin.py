"""The admin of ZI assessments, for operators and the Tim Penilai Internal (TPI).

- Operators (of their instansi) open years for many units, assign TPI members, follow every
  assessment and record the national team's decision.
- A TPI member sees only the assessments assigned to them (404 for the others) and evaluates
  them in the change view: the unit's answers, penjelasan and evidence beside the TPI's own
  answers and catatan, both results side by side, and the workflow buttons.

Access is the site's funnel (organizations.access) in `get_queryset` and every
`has_*_permission(request, obj)`. Status changes happen only through the services
(assessments.services, assessments.evaluation); no row is edited directly. The pages
themselves are built in assessments/admin_views.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import admin_views, evaluation, services
from assessments.admin_views import admin_roles
from assessments.audit import display_name
from assessments.forms import OpenAssessmentsForm
from assessments.models import (
    Assessment,
    AssessmentSnapshot,
    Assignment,
    InstansiFacts,
    Predikat,
)
from assessments.reporting import id_number
from organizations import access
from organizations.admin import OperatorScopedAdmin
from organizations.models import Role, UnitKerja


def _is_operator(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and access.has_role(user, Role.OPERATOR)


def _is_evaluator(request: HttpRequest) -> bool:
    """A TPI member with at least one assignment (remembered for the request)."""
    user = request.user
    if not (user.is_active and user.is_staff and access.has_role(user, Role.TPI)):
        return False
    cached = request.__dict__.get("_zi_has_assignments")
    if cached is None:
        cached = request._zi_has_assignments = user.tpi_assignments.exists()
    return cached


def admin_assessments(request: HttpRequest):
    """The assessments this user has in the admin, through the access funnel: an operator those
    of its instansi, a TPI member only those assigned to them (even when holding other roles)."""
    qs = access.visible_assessments(request.user).defer("rulebook__content")
    if request.user.is_superuser:
        return qs
    scope = access.scope_of(request.user)
    allowed = Q(unit__instansi_id__in=list(scope.instansi_ids_with(Role.OPERATOR)))
    if scope.instansi_ids_with(Role.TPI):
        allowed |= Q(pk__in=request.user.tpi_assignments.values("assessment_id"))
    return qs.filter(allowed)


# --------------------------------------------------------------------------- list


class VerdictFilter(admin.SimpleListFilter):
    """The TPI's verdict for the target predikat, computed for the whole filtered list in two
    queries (assessments.evaluation.summaries), never per row."""

    title = gettext_lazy("hasil TPI")
    parameter_name = "hasil_tpi"

    def lookups(self, request, model_admin):
        return [
            ("memenuhi", _("Memenuhi target")),
            ("belum_memenuhi", _("Belum memenuhi target")),
            ("belum_lengkap", _("Penilaian TPI belum lengkap")),
            ("belum_dinilai", _("Belum dinilai TPI")),
        ]

    def queryset(self, request, queryset):
        wanted = self.value()
        if not wanted:
            return queryset
        found = evaluation.summaries(queryset.defer("rulebook__content"), self_side=False)
        keep = [pk for pk, s in found.items() if _verdict_key(s) == wanted]
        return queryset.filter(pk__in=keep)


def _verdict_key(summary: evaluation.Summary) -> str:
    if not summary.evaluated:
        return "belum_dinilai"
    if not summary.tpi_complete:
        return "belum_lengkap"
    return "memenuhi" if summary.tpi_meets else "belum_memenuhi"


class SummaryChangeList(ChangeList):
    """Scores the page's assessments (one query) and names their evaluators (one query) after
    the page is read."""

    def get_results(self, request):
        super().get_results(request)
        found = evaluation.summaries(self.result_list)
        names: dict[int, list[str]] = {}
        rows = Assignment.objects.filter(
            assessment_id__in=[a.pk for a in self.result_list]
        ).values_list(
            "assessment_id", "evaluator__first_name", "evaluator__last_name", "evaluator__username"
        )
        for assessment_id, first, last, username in rows:
            names.setdefault(assessment_id, []).append(f"{first} {last}".strip() or username)
        for obj in self.result_list:
            obj.zi_summary = found[obj.pk]
            obj.zi_evaluators = sorted(names.get(obj.pk, []))


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    # Compact enough for a 1366 px screen with the admin's navigation open: short headers,
    # year and target in one column, texts that wrap (CSS in change_list.html).
    list_display = [
        "unit",
        "year_target",
        "status_label",
        "self_score",
        "tpi_score",
        "tpi_verdict",
        "evaluator_names",
    ]
    list_display_links = ["unit"]
    list_filter = [
        ("unit__instansi", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
        "year",
        "status",
        "target",
        VerdictFilter,
    ]
    search_fields = ["unit__name", "unit__code"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["open_next_year", "assign_evaluators", "open_reviews", "finalise"]
    change_list_template = "admin/assessments/assessment/change_list.html"

    # ---------------------------------------------------------------- access

    def get_queryset(self, request: HttpRequest):
        return admin_assessments(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request) or _is_evaluator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return bool(admin_roles(request, obj))

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # every change is a service (open, assign, evaluate, return, finalise...)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # opened through "Buka penilaian" (many units at once)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Only a draft nobody has sent yet; anything later carries an audit trail.
        return request.user.is_superuser and obj is not None and obj.status == "draft"

    def has_open_next_year_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_assign_evaluators_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request)

    def has_open_reviews_permission(self, request: HttpRequest) -> bool:
        return _is_evaluator(request) or _is_operator(request)

    def has_finalise_permission(self, request: HttpRequest) -> bool:
        return _is_evaluator(request)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        try:
            return self.get_queryset(request).get(pk=int(object_id))
        except (Assessment.DoesNotExist, ValueError, TypeError):
            return None

    def _assessment_or_404(self, request: HttpRequest, object_id: str) -> Assessment:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    # ---------------------------------------------------------------- columns

    def get_changelist(self, request, **kwargs):
        return SummaryChangeList

    @admin.display(description=gettext_lazy("Tahun / target"), ordering="year")
    def year_target(self, obj: Assessment) -> str:
        return format_html(
            '{}<br><span class="zi-target">{}</span>', obj.year, obj.get_target_display()
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_label(self, obj: Assessment) -> str:
        return format_html(
            '<span class="zi-status zi-status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=gettext_lazy("nilai mandiri"))
    def self_score(self, obj: Assessment) -> str:
        return id_number(obj.zi_summary.self_total)

    @admin.display(description=gettext_lazy("nilai TPI"))
    def tpi_score(self, obj: Assessment) -> str:
        return id_number(obj.zi_summary.tpi_total)

    @admin.display(description=gettext_lazy("hasil TPI"))
    def tpi_verdict(self, obj: Assessment) -> str:
        key = _verdict_key(obj.zi_summary)
        labels = {
            "memenuhi": _("Memenuhi %(p)s") % {"p": Predikat(obj.target).label},
            "belum_memenuhi": _("Belum memenuhi"),
            "belum_lengkap": _("Belum lengkap"),
            "belum_dinilai": _("Belum dinilai"),
        }
        return format_html('<span class="zi-verdict zi-verdict-{}">{}</span>', key, labels[key])

    @admin.display(description=gettext_lazy("evaluator TPI"))
    def evaluator_names(self, obj: Assessment) -> str:
        # One name per line: a long name wraps within the column instead of widening it.
        return format_html_join(mark_safe("<br>"), "{}", ((n,) for n in obj.zi_evaluators)) or "—"

    # ---------------------------------------------------------------- pages

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("buka/", wrap(self.open_view), name="assessments_assessment_open"),
            path(
                "<path:object_id>/ekspor/<str:fmt>/",
                wrap(self.export_view),
                name="assessments_assessment_export",
            ),
            path(
                "<path:object_id>/impor/",
                wrap(self.import_view),
                name="assessments_assessment_import",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        assessment = self._assessment_or_404(request, object_id)
        return admin_views.evaluation_view(self, request, assessment)

    def history_view(self, request, object_id, extra_context=None):
        assessment = self._assessment_or_404(request, object_id)
        return admin_views.history_view(self, request, assessment)

    def export_view(self, request: HttpRequest, object_id: str, fmt: str) -> HttpResponse:
        assessment = self._assessment_or_404(request, object_id)
        return admin_views.export_view(request, assessment, fmt)

    def import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        assessment = self._assessment_or_404(request, object_id)
        return admin_views.import_view(self, request, assessment)

    # ---------------------------------------------------------------- actions

    @admin.action(
        description=gettext_lazy("Buka penilaian tahun berikutnya (mulai dari salinan)"),
        permissions=["open_next_year"],
    )
    def open_next_year(self, request: HttpRequest, queryset) -> None:
        created, skipped = [], []
        for assessment in queryset.select_related("unit"):
            outcome = services.open_assessments(
                units=[assessment.unit],
                year=assessment.year + 1,
                target=assessment.target,
                by=request.user,
                copy_previous=True,
            )
            created += outcome.created
            skipped += [f"{u.code} {assessment.year + 1}" for u in outcome.skipped]
        if created:
            messages.success(
                request,
                _("%(n)s penilaian dibuka: %(list)s.")
                % {
                    "n": len(created),
                    "list": ", ".join(f"{a.unit.code} {a.year}" for a in created),
                },
            )
        if skipped:
            messages.warning(
                request, _("Dilewati karena sudah ada: %(list)s.") % {"list": ", ".join(skipped)}
            )

    @admin.action(
        description=gettext_lazy("Tugaskan evaluator TPI"), permissions=["assign_evaluators"]
    )
    def assign_evaluators(self, request: HttpRequest, queryset):
        return admin_views.assign_view(self, request, queryset)

    @admin.action(
        description=gettext_lazy("Mulai penilaian TPI (status: dinilai TPI)"),
        permissions=["open_reviews"],
    )
    def open_reviews(self, request: HttpRequest, queryset) -> None:
        admin_views.run_for_each(
            request,
            queryset,
            lambda a: evaluation.open_review(assessment=a, by=request.user),
            done=_("Penilaian dimulai: %(list)s."),
        )

    @admin.action(description=gettext_lazy("Finalkan penilaian TPI"), permissions=["finalise"])
    def finalise(self, request: HttpRequest, queryset) -> None:
        def finalise_one(assessment: Assessment) -> None:
            # The action has no confirmation page: the review warning follows the result.
            warning = evaluation.open_reviews(assessment).warning()
            evaluation.finalise_assessment(assessment=assessment, by=request.user)
            if warning:
                messages.warning(request, f"{assessment.unit.code} {assessment.year}: {warning}")

        admin_views.run_for_each(request, queryset, finalise_one, done=_("Difinalkan: %(list)s."))

    def open_view(self, request: HttpRequest) -> HttpResponse:
        if not _is_operator(request):
            raise PermissionDenied
        units = UnitKerja.objects.select_related("instansi").order_by("instansi__name", "code")
        if not request.user.is_superuser:
            units = units.filter(instansi__in=access.operated_instansi(request.user))
        form = OpenAssessmentsForm(request.POST or None, units_queryset=units)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            outcome = services.open_assessments(
                units=data["units"],
                year=data["year"],
                target=data["target"],
                by=request.user,
                copy_previous=data["copy_previous"],
            )
            if outcome.created:
                messages.success(
                    request,
                    _("%(n)s penilaian dibuka untuk tahun %(year)s: %(units)s.")
                    % {
                        "n": len(outcome.created),
                        "year": data["year"],
                        "units": ", ".join(a.unit.code for a in outcome.created),
                    },
                )
            if outcome.skipped:
                messages.warning(
                    request,
                    _("Dilewati karena sudah ada: %(units)s.")
                    % {"units": ", ".join(u.code for u in outcome.skipped)},
                )
            return redirect("admin:assessments_assessment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Buka penilaian ZI"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/assessments/assessment/open.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Penilaian ZI dan evaluasi TPI"),
            **(extra_context or {}),
            "zi_is_operator": _is_operator(request),
        }
        return super().changelist_view(request, extra_context)


@admin.register(AssessmentSnapshot)
class AssessmentSnapshotAdmin(admin.ModelAdmin):
    """The records of what was final: read-only for the TPI and operators who see the
    assessment, never changed or deleted through the portal."""

    list_display = ["assessment", "verification_code", "finalised_by_name", "finalised_at"]
    list_select_related = ["assessment__unit", "finalised_by", "rulebook__rulebook"]
    search_fields = ["verification_code", "assessment__unit__name", "assessment__unit__code"]
    fields = [
        "assessment",
        "rulebook",
        "verification_code",
        "content_sha256",
        "finalised_by_name",
        "finalised_at",
        "content_pretty",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        visible = admin_assessments(request).values("pk")
        return super().get_queryset(request).filter(assessment__in=visible)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_operator(request) or _is_evaluator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return bool(admin_roles(request, obj.assessment))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("difinalkan oleh"), ordering="finalised_by__first_name")
    def finalised_by_name(self, obj: AssessmentSnapshot) -> str:
        """The full name, as every other screen shows it (the name recorded in the snapshot
        when the account no longer exists)."""
        if obj.finalised_by is None:
            return obj.content.get("finalised_by") or "—"
        return display_name(obj.finalised_by)

    @admin.display(description=gettext_lazy("isi"))
    def content_pretty(self, obj: AssessmentSnapshot) -> str:
        import json

        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>',
            json.dumps(obj.content, ensure_ascii=False, indent=2),
        )


@admin.register(InstansiFacts)
class InstansiFactsAdmin(OperatorScopedAdmin):
    list_display = [
        "instansi",
        "year",
        "opini_bpk",
        "sakip_instansi",
        "indeks_rb",
        "spip_maturity_level",
    ]
    list_filter = ["year", "instansi"]
    list_select_related = ["instansi"]
    fields = ["instansi", "year", "opini_bpk", "sakip_instansi", "indeks_rb", "spip_maturity_level"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
