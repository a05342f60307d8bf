from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organizations import access
from organizations.access import UnitAction
from organizations.forms import UnitProfileForm
from organizations.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = access.scope_of(request.user)
    units = access.visible_units(request.user).order_by("instansi__name", "code")
    own_unit_ids = set(scope.unit_roles)
    context = {
        "roles": scope.roles,
        "own_units": [u for u in units if u.pk in own_unit_ids],
        "instansi_units": [u for u in units if u.pk not in own_unit_ids]
        if scope.roles & {Role.PIMPINAN_INSTANSI, Role.OPERATOR, Role.TPI}
        else [],
        "instansi_list": access.visible_instansi(request.user),
        "no_role": not scope.roles,
        # The ZI assessments this user can open, newest first (one query).
        "assessments": list(
            access.visible_assessments(request.user)
            .defer("rulebook__content")
            .order_by("-year", "unit__code", "target")[:20]
        ),
    }
    return render(request, "organizations/home.html", context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk, UnitAction.VIEW)
    members = unit.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "organizations/unit_detail.html",
        {
            "unit": unit,
            "members": members,
            "can_edit": access.can_on_unit(request.user, unit, UnitAction.EDIT_PROFILE),
            "assessments": access.visible_assessments(request.user)
            .filter(unit=unit)
            .defer("rulebook__content")
            .order_by("-year", "target"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit_for(request.user, pk, UnitAction.EDIT_PROFILE)
    form = UnitProfileForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil unit kerja disimpan."))
        return redirect("unit_detail", pk=unit.pk)
    if request.method == "POST":
        messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "organizations/unit_edit.html", {"unit": unit, "form": form})
