from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin

from organizations import access
from organizations.models import Instansi, Membership, Role, UnitKerja
from organizations.resources import UnitKerjaResource, UserResource

User = get_user_model()


class OperatorScopedAdmin(admin.ModelAdmin):
    """Admin open to operators, limited to the instansi they operate (everything for superusers)."""

    instansi_lookup = "instansi"

    def _is_operator(self, request: HttpRequest) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and access.has_role(request.user, Role.OPERATOR)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_operator(request)

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_operator(request)

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.instansi_lookup}__in": access.operated_instansi(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            operated = access.operated_instansi(request.user)
            if db_field.related_model is Instansi:
                kwargs["queryset"] = operated
            elif db_field.related_model is UnitKerja:
                kwargs["queryset"] = UnitKerja.objects.filter(instansi__in=operated)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs["allowed_instansi"] = (
            None if request.user.is_superuser else access.operated_instansi(request.user)
        )
        return kwargs


@admin.register(Instansi)
class InstansiAdmin(OperatorScopedAdmin):
    instansi_lookup = "pk"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(UnitKerja)
class UnitKerjaAdmin(OperatorScopedAdmin, ImportExportModelAdmin):
    resource_classes = [UnitKerjaResource]
    list_display = ["code", "name", "instansi", "parent", "has_wbk"]
    list_filter = ["instansi", "has_wbk"]
    search_fields = ["code", "name"]
    list_select_related = ["instansi", "parent"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["role", "instansi", "unit"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("instansi", "unit")
        if request.user.is_superuser:
            return qs
        return qs.filter(instansi__in=access.operated_instansi(request.user))


@admin.register(Membership)
class MembershipAdmin(OperatorScopedAdmin):
    list_display = ["user", "role", "instansi", "unit"]
    list_filter = ["role", "instansi"]
    search_fields = ["user__username", "user__email", "unit__code", "unit__name"]
    list_select_related = ["user", "instansi", "unit"]
    autocomplete_fields = ["user", "unit"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(OperatorScopedAdmin, ImportExportModelAdmin, BaseUserAdmin):
    resource_classes = [UserResource]
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "email", "first_name", "last_name"]

    def get_queryset(self, request: HttpRequest):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        # An operator manages the users who belong to its instansi, and users not yet placed.
        operated = access.operated_instansi(request.user)
        return (
            (qs.filter(memberships__instansi__in=operated) | qs.filter(memberships__isnull=True))
            .filter(is_superuser=False)
            .distinct()
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Operators never grant superuser rights or raw Django permissions.
        hidden = {"is_superuser", "groups", "user_permissions"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]
