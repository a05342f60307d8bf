"""The public F-03 survey (no login) and the page where the ULE finds its link and QR code.

The public page is found only by its unguessable token; an unknown token is a 404 like any
other missing page. A browser that answered gets a signed cookie (no identifier, just "done")
and is thanked instead of asked again; submissions are rate limited per IP address in the
cache. Nothing about the respondent is stored.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from organizations import access
from pekppp import ratelimit, services
from pekppp.models import FormKind, UnitLokus
from pekppp.scoring import instrument_for
from pekppp.views.common import period_timeline, ule_context

COOKIE_SALT = "pekppp.f03.done"
COOKIE_MAX_AGE = 365 * 24 * 3600
# Submissions per IP address and window (a service counter's shared Wi-Fi still gets through).
SUBMIT_LIMIT = getattr(settings, "PEKPPP_F03_SUBMIT_LIMIT", 5)
SUBMIT_WINDOW = getattr(settings, "PEKPPP_F03_SUBMIT_WINDOW", 15 * 60)


def _cookie_name(ule: UnitLokus) -> str:
    return f"pekppp_f03_{ule.pk}"


def _already_answered(request: HttpRequest, ule: UnitLokus) -> bool:
    try:
        return (
            request.get_signed_cookie(_cookie_name(ule), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
            == ule.survey_token[:8]
        )
    except (KeyError, BadSignature):
        return False


def _ule_by_token(token: str) -> UnitLokus:
    if not token or len(token) > 64:
        raise Http404
    ule = (
        UnitLokus.objects.select_related("unit", "unit__instansi", "period", "period__instrument")
        .defer("period__instrument__content", "snapshot")
        .filter(survey_token=token)
        .first()
    )
    if ule is None:
        raise Http404
    return ule


def _rows(instrument, scale: list[str], values) -> list[dict]:
    """The items with their choices as plain strings (the page is rendered for every visitor:
    no per-radio template logic or number localisation)."""
    return [
        {
            "n": str(n),
            "code": item.code,
            "text": item.text,
            "choices": [(v, values.get(item.code) == v) for v in scale],
        }
        for n, item in enumerate(instrument.f03_items, start=1)
    ]


def survey_url(request: HttpRequest, ule: UnitLokus) -> str:
    return request.build_absolute_uri(reverse("pekppp:survey", args=[ule.survey_token]))


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    ule = _ule_by_token(token)
    instrument = instrument_for(ule)
    timeline = period_timeline(ule.period)
    settings_f03 = instrument.f03
    context = {
        "ule": ule,
        "items": instrument.f03_items,
        "scale": [str(n) for n in range(0, settings_f03.scale_max + 1)],
        "scale_max": settings_f03.scale_max,
        "f03": settings_f03,
        "count": ule.survey_count,
        "to_min": max(settings_f03.min_responses - ule.survey_count, 0),
        "open": timeline.is_open(FormKind.F03),
        "closed_message": timeline.closed_message(FormKind.F03),
        "full": ule.survey_count >= settings_f03.max_responses,
        "answered": _already_answered(request, ule),
        "values": {},
        "problems": [],
    }
    context["rows"] = _rows(instrument, context["scale"], {})
    if request.method == "GET":
        return render(request, "pekppp/survey_public.html", context)
    if context["answered"]:
        context["problems"] = [
            _("Browser ini sudah mengirim jawaban untuk survei ini. Terima kasih.")
        ]
        return render(request, "pekppp/survey_public.html", context, status=409)
    if not context["open"] or context["full"]:
        return render(request, "pekppp/survey_public.html", context, status=409)
    if not ratelimit.hit(
        "f03", ratelimit.client_ip(request), limit=SUBMIT_LIMIT, window=SUBMIT_WINDOW
    ):
        context["problems"] = [
            _("Terlalu banyak jawaban dikirim dari jaringan ini. Coba lagi dalam 15 menit.")
        ]
        return render(request, "pekppp/survey_public.html", context, status=429)
    raw = {item.code: request.POST.get(item.code, "") for item in instrument.f03_items}
    context["rows"] = _rows(instrument, context["scale"], raw)
    try:
        services.submit_f03(ule=ule, raw=raw)
    except services.SurveyFull as exc:
        context["full"] = True
        context["problems"] = exc.problems
        return render(request, "pekppp/survey_public.html", context, status=409)
    except services.PekpppError as exc:
        context["problems"] = exc.problems
        context["values"] = raw
        return render(request, "pekppp/survey_public.html", context, status=400)
    ule.refresh_from_db(fields=["survey_count"])
    response = render(
        request,
        "pekppp/survey_thanks.html",
        {
            "ule": ule,
            "count": ule.survey_count,
            "to_min": max(settings_f03.min_responses - ule.survey_count, 0),
            "f03": settings_f03,
        },
    )
    response.set_signed_cookie(
        _cookie_name(ule),
        ule.survey_token[:8],
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
        path=reverse("pekppp:survey", args=[ule.survey_token]),
    )
    return response


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=2)


@login_required
@require_GET
def survey_manage(request: HttpRequest, pk: int) -> HttpResponse:
    ule = access.get_ule_for(request.user, pk)
    instrument = instrument_for(ule)
    url = survey_url(request, ule)
    from pekppp.models import F03Response

    context = ule_context(
        request,
        ule,
        url=url,
        qr=mark_safe(qr_svg(url)),
        f03=instrument.f03,
        to_min=max(instrument.f03.min_responses - ule.survey_count, 0),
        days=list(F03Response.objects.filter(ule=ule).values_list("submitted_on", flat=True)),
    )
    return render(request, "pekppp/survey_manage.html", context)
