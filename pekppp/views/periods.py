"""PEKPPP home, the period page (timeline, ULE list) and the operator's actions on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import access
from organizations.access import PekpppAction
from pekppp import services
from pekppp.forms import EvaluatorsForm, NominateForm, ReopenStageForm
from pekppp.models import FormKind, Stage, UnitLokus
from pekppp.scoring import figures_for_many
from pekppp.timeline import stages_prefetch, timeline_for
from pekppp.views.common import rights_on, show_problems


def _ule_rows(user, ules: list[UnitLokus]) -> list[dict]:
    figures = figures_for_many(ules)
    return [{"ule": u, "figures": figures[u.pk], "rights": rights_on(user, u)} for u in ules]


def _annotated(qs):
    return qs.annotate(
        f01_count=Count("f01_answers", distinct=True),
        open_recs=Count(
            "recommendations", filter=~Q(recommendations__status="selesai"), distinct=True
        ),
    ).select_related("skm")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    periods = list(
        access.visible_pekppp_periods(request.user)
        .prefetch_related(stages_prefetch())
        .order_by("-year", "instansi__name")
    )
    ules = list(_annotated(access.visible_ules(request.user)).filter(period__in=periods))
    rows = _ule_rows(request.user, ules)
    by_period = {p.pk: [r for r in rows if r["ule"].period_id == p.pk] for p in periods}
    sections = [
        {
            "period": p,
            "timeline": timeline_for(p),
            "rows": by_period[p.pk],
            "can_manage": "operator" in access.roles_on_pekppp_period(request.user, p),
        }
        for p in periods
    ]
    return render(
        request,
        "pekppp/index.html",
        {
            "sections": sections,
            "can_review": access.can_review_pekppp(request.user),
            "operated": access.operated_instansi(request.user).exists(),
        },
    )


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk)
    timeline = timeline_for(
        type(period).objects.prefetch_related(stages_prefetch()).get(pk=period.pk)
    )
    ules = list(_annotated(access.visible_ules(request.user)).filter(period=period))
    roles = access.roles_on_pekppp_period(request.user, period)
    can_manage = "operator" in roles
    return render(
        request,
        "pekppp/period.html",
        {
            "period": period,
            "timeline": timeline,
            "rows": _ule_rows(request.user, ules),
            "can_manage": can_manage,
            "can_review": bool(roles & {"operator", "pimpinan_instansi", "evaluator_pekppp"}),
            "nomination_open": timeline.is_open(FormKind.NOMINASI),
            "nomination_closed_message": timeline.closed_message(FormKind.NOMINASI),
            "reopen_form": ReopenStageForm() if can_manage else None,
            "events": period.events.select_related("by", "ule__unit").order_by("-at", "-pk")[:15]
            if can_manage
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk, PekpppAction.MANAGE)
    form = NominateForm(
        request.POST or None,
        units=period.instansi.units.order_by("code"),
        evaluators=services.pekppp_evaluators(period.instansi),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ule = services.nominate_ule(period=period, by=request.user, **data)
        except services.PekpppError as exc:
            show_problems(request, exc.problems)
        else:
            messages.success(
                request,
                _("%(unit)s diusulkan sebagai ULE %(scope)s. Bagikan tautan ULE kepada timnya.")
                % {"unit": ule.unit.name, "scope": ule.get_scope_display()},
            )
            return redirect("pekppp:period", pk=period.pk)
    elif request.method == "POST":
        messages.error(request, _("Periksa kembali isian yang ditandai; ULE belum diusulkan."))
    taken = dict(period.ules.values_list("scope", "unit__name"))
    return render(request, "pekppp/nominate.html", {"period": period, "form": form, "taken": taken})


@login_required
@require_POST
def stage_reopen(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    period = access.get_pekppp_period_for(request.user, pk, PekpppAction.MANAGE)
    stage = get_object_or_404(Stage, pk=stage_pk, period=period)
    form = ReopenStageForm(request.POST)
    if not form.is_valid():
        show_problems(request, [_("Isi tanggal 'dibuka sampai' dan alasannya.")])
        return redirect("pekppp:period", pk=period.pk)
    try:
        services.reopen_stage(stage=stage, by=request.user, **form.cleaned_data)
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(
            request,
            _("Tahap %(stage)s dibuka kembali; tercatat dalam riwayat.")
            % {"stage": stage.get_kind_display()},
        )
    return redirect("pekppp:period", pk=period.pk)


@login_required
@require_POST
def ule_manage(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk, PekpppAction.MANAGE)
    form = EvaluatorsForm(request.POST, evaluators=services.pekppp_evaluators(ule.period.instansi))
    if not form.is_valid():
        show_problems(request, [_("Pilihan evaluator tidak valid.")])
        return redirect("pekppp:ule", pk=ule.pk)
    try:
        services.set_evaluators(
            ule=ule, evaluators=form.cleaned_data["evaluators"], by=request.user
        )
        if form.cleaned_data["blend_public"] != ule.blend_public:
            services.set_blend(
                ule=ule, blend_public=form.cleaned_data["blend_public"], by=request.user
            )
    except services.PekpppError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(request, _("Penugasan evaluator dan pengaturan F-03 disimpan."))
    return redirect("pekppp:ule", pk=ule.pk)
