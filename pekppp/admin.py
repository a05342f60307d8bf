"""Operator configuration of PEKPPP: periods and their stages (dates), and read-only views of
ULEs, reopenings and the audit trail. Every changelist is scoped to the operated instansi and
every object goes through the access funnel."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from assessments.models import RulebookVersion
from organizations import access
from organizations.access import PekpppAction
from organizations.admin import OperatorScopedAdmin
from organizations.models import Role
from pekppp import services
from pekppp.models import PekpppEvent, Period, Stage, StageReopening, UnitLokus


def _may_manage_period(request: HttpRequest, period: Period) -> bool:
    try:
        access.get_pekppp_period_for(request.user, period.pk, PekpppAction.MANAGE)
    except (Http404, PermissionDenied):
        return False
    return True


class StageInline(admin.TabularInline):
    """The period's stage dates; the operator edits them (one row per stage kind)."""

    model = Stage
    extra = 0
    fields = ["kind", "starts_on", "ends_on", "note"]
    ordering = ["starts_on"]

    def _may(self, request: HttpRequest, obj) -> bool:
        if not (request.user.is_active and request.user.is_staff):
            return False
        if obj is None:
            return access.has_role(request.user, Role.OPERATOR)
        return _may_manage_period(request, obj)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may(request, obj)

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Period)
class PeriodAdmin(OperatorScopedAdmin):
    list_display = ["year", "instansi", "instrument", "created_at"]
    list_filter = ["year"]
    list_select_related = ["instansi", "instrument", "instrument__rulebook"]
    inlines = [StageInline]
    fields = ["instansi", "year", "instrument", "skm_rulebook"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for field, kind in (("instrument", "pekppp"), ("skm_rulebook", "skm")):
            current = RulebookVersion.objects.filter(kind=kind, is_current=True).first()
            if current:
                initial.setdefault(field, current.pk)
        operated = access.operated_instansi(request.user)
        if operated.count() == 1:
            initial.setdefault("instansi", operated.get().pk)
        return initial

    def get_readonly_fields(self, request, obj=None):
        # A period that has ULEs keeps its instrument: results were scored with it.
        if obj is not None and obj.ules.exists():
            return ["instansi", "year", "instrument", "skm_rulebook"]
        return []

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return self._is_operator(request) and _may_manage_period(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return self.has_change_permission(request, obj) and not obj.ules.exists()

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # A new period without stages gets the 2023 timeline moved to its year.
        services.add_default_stages(period=form.instance)
        if not change:
            PekpppEvent.objects.create(
                period=form.instance,
                action="periode_dibuat",
                note=str(form.instance.year),
                by=request.user,
            )


class ReadOnlyScopedAdmin(OperatorScopedAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(UnitLokus)
class UnitLokusAdmin(ReadOnlyScopedAdmin):
    instansi_lookup = "period__instansi"
    list_display = ["unit", "period", "scope", "service_name", "f02_status", "survey_count"]
    list_filter = ["period__year", "scope", "f02_status"]
    list_select_related = ["unit", "period", "period__instansi"]
    search_fields = ["unit__name", "service_name"]
    exclude = ["survey_token", "snapshot"]


@admin.register(StageReopening)
class StageReopeningAdmin(ReadOnlyScopedAdmin):
    instansi_lookup = "stage__period__instansi"
    list_display = ["stage", "open_until", "reason", "by", "at"]
    list_select_related = ["stage", "stage__period", "stage__period__instansi", "by"]


@admin.register(PekpppEvent)
class PekpppEventAdmin(ReadOnlyScopedAdmin):
    instansi_lookup = "period__instansi"
    list_display = ["at", "period", "ule", "action", "note", "by"]
    list_filter = ["action"]
    list_select_related = ["period", "period__instansi", "ule", "ule__unit", "ule__period", "by"]
