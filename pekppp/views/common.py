"""What most PEKPPP pages share: the ULE with its period timeline, and the user's rights on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest

from organizations.access import PekpppAction, can_on_ule
from pekppp.models import FormKind, Period, UnitLokus
from pekppp.timeline import Timeline, stages_prefetch, timeline_for


@dataclass(frozen=True)
class Rights:
    view: bool
    fill: bool
    review: bool
    score: bool
    manage: bool


def rights_on(user, ule: UnitLokus) -> Rights:
    return Rights(
        view=can_on_ule(user, ule, PekpppAction.VIEW),
        fill=can_on_ule(user, ule, PekpppAction.FILL),
        review=can_on_ule(user, ule, PekpppAction.REVIEW),
        score=can_on_ule(user, ule, PekpppAction.SCORE),
        manage=can_on_ule(user, ule, PekpppAction.MANAGE),
    )


def period_timeline(period: Period) -> Timeline:
    """The period's timeline, read with two queries (stages and their reopenings)."""
    fresh = Period.objects.prefetch_related(stages_prefetch()).get(pk=period.pk)
    return timeline_for(fresh)


def ule_context(request: HttpRequest, ule: UnitLokus, **extra) -> dict:
    timeline = period_timeline(ule.period)
    return {
        "ule": ule,
        "period": ule.period,
        "timeline": timeline,
        "rights": rights_on(request.user, ule),
        "forms_open": {form: timeline.is_open(form) for form in FormKind.values},
        **extra,
    }


def show_problems(request: HttpRequest, problems: list[str]) -> None:
    for problem in problems:
        messages.error(request, problem)


def csrf_refusal(request: HttpRequest):
    """Run the CSRF check of a csrf_exempt upload view *after* the evidence upload handler is
    installed. (`csrf_protect` would read request.POST first, which parses the multipart body
    with the default handlers, so the evidence handler could no longer be installed.) None when
    the check passes, else the 403 response."""
    from django.middleware.csrf import CsrfViewMiddleware

    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
