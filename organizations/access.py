"""The one funnel that answers "what may this user see or change".

Every view and admin that touches a protected object asks this module. Outsiders get 404 (the
object's existence is not confirmed), in-scope users lacking the right get 403 (PermissionDenied),
anonymous users are redirected to login by the views' decorators before they get here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from organizations.models import Instansi, Membership, Role, UnitKerja

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

    AnyUser = AbstractBaseUser | AnonymousUser


class AssessmentAction(StrEnum):
    VIEW = "view"
    FILL = "fill"  # change the unit's own answers, facts and evidence
    SUBMIT = "submit"
    EVALUATE = "evaluate"  # the TPI's own answers and notes
    MANAGE = "manage"  # operator: open, assign, record decisions
    PROPOSE = "propose"  # pimpinan instansi: propose to the national team


_ASSESSMENT_ACTION_ROLES: dict[AssessmentAction, frozenset[str]] = {
    AssessmentAction.VIEW: frozenset(Role.values),
    AssessmentAction.FILL: frozenset({Role.TIM_UNIT}),
    AssessmentAction.SUBMIT: frozenset({Role.TIM_UNIT, Role.PIMPINAN_UNIT}),
    AssessmentAction.EVALUATE: frozenset({Role.TPI}),
    AssessmentAction.MANAGE: frozenset({Role.OPERATOR}),
    AssessmentAction.PROPOSE: frozenset({Role.PIMPINAN_INSTANSI}),
}


class UnitAction(StrEnum):
    VIEW = "view"
    EDIT_PROFILE = "edit_profile"
    FILL = "fill"
    SUBMIT = "submit"


# Which roles may do what on a unit they are in scope of.
_UNIT_ACTION_ROLES: dict[UnitAction, frozenset[str]] = {
    UnitAction.VIEW: frozenset(Role.values),
    UnitAction.EDIT_PROFILE: frozenset({Role.TIM_UNIT, Role.PIMPINAN_UNIT, Role.OPERATOR}),
    UnitAction.FILL: frozenset({Role.TIM_UNIT}),
    UnitAction.SUBMIT: frozenset({Role.TIM_UNIT, Role.PIMPINAN_UNIT}),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """A user's memberships, read once per request."""

    is_superuser: bool
    unit_roles: dict[int, frozenset[str]]  # unit id -> roles held on that unit
    instansi_roles: dict[int, frozenset[str]]  # instansi id -> instansi-level roles

    @property
    def roles(self) -> frozenset[str]:
        found: set[str] = set()
        for roles in (*self.unit_roles.values(), *self.instansi_roles.values()):
            found |= roles
        if self.is_superuser:
            found.add(Role.OPERATOR)
        return frozenset(found)

    def instansi_ids_with(self, *roles: str) -> set[int]:
        return {pk for pk, held in self.instansi_roles.items() if held & set(roles)}

    def roles_on_unit(self, unit: UnitKerja) -> frozenset[str]:
        if self.is_superuser:
            return frozenset({Role.OPERATOR})
        return self.unit_roles.get(unit.pk, frozenset()) | self.instansi_roles.get(
            unit.instansi_id, frozenset()
        )


_EMPTY = Scope(is_superuser=False, unit_roles={}, instansi_roles={})


def scope_of(user: AnyUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_zi_scope", None)
    if cached is not None:
        return cached
    unit_roles: dict[int, set[str]] = {}
    instansi_roles: dict[int, set[str]] = {}
    for unit_id, instansi_id, role in Membership.objects.filter(user=user).values_list(
        "unit_id", "instansi_id", "role"
    ):
        if unit_id is not None:
            unit_roles.setdefault(unit_id, set()).add(role)
        else:
            instansi_roles.setdefault(instansi_id, set()).add(role)
    scope = Scope(
        is_superuser=user.is_superuser,
        unit_roles={k: frozenset(v) for k, v in unit_roles.items()},
        instansi_roles={k: frozenset(v) for k, v in instansi_roles.items()},
    )
    user._zi_scope = scope  # type: ignore[union-attr]
    return scope


def forget_scope(user: AnyUser) -> None:
    """Drop the cached scope (after memberships change within one request or test)."""
    if hasattr(user, "_zi_scope"):
        del user._zi_scope  # type: ignore[union-attr]


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(scope_of(user).roles & set(roles))


def visible_units(user: AnyUser) -> QuerySet[UnitKerja]:
    scope = scope_of(user)
    units = UnitKerja.objects.select_related("instansi", "parent")
    if scope.is_superuser:
        return units
    return units.filter(pk__in=list(scope.unit_roles)) | units.filter(
        instansi_id__in=list(scope.instansi_roles)
    )


def visible_instansi(user: AnyUser) -> QuerySet[Instansi]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Instansi.objects.all()
    instansi_ids = set(scope.instansi_roles) | set(
        UnitKerja.objects.filter(pk__in=list(scope.unit_roles)).values_list(
            "instansi_id", flat=True
        )
    )
    return Instansi.objects.filter(pk__in=instansi_ids)


def operated_instansi(user: AnyUser) -> QuerySet[Instansi]:
    """Instansi this user manages as operator (all of them for a superuser)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Instansi.objects.all()
    return Instansi.objects.filter(pk__in=scope.instansi_ids_with(Role.OPERATOR))


def can_on_unit(user: AnyUser, unit: UnitKerja, action: UnitAction) -> bool:
    return bool(scope_of(user).roles_on_unit(unit) & _UNIT_ACTION_ROLES[action])


def get_unit_for(user: AnyUser, pk: int, action: UnitAction = UnitAction.VIEW) -> UnitKerja:
    """The unit if the user may do `action` on it; 404 outside scope, 403 without the right."""
    try:
        unit = visible_units(user).get(pk=pk)
    except (UnitKerja.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_on_unit(user, unit, action):
        raise PermissionDenied
    return unit


# --- Assessments -------------------------------------------------------------------------------
# A unit's own members see its assessments; pimpinan instansi and operators see every assessment
# of their instansi; a TPI member sees only the assessments assigned to them.


def visible_assessments(user: AnyUser):
    from assessments.models import Assessment

    scope = scope_of(user)
    qs = Assessment.objects.select_related("unit", "unit__instansi", "rulebook", "rulebook__rulebook")
    if scope.is_superuser:
        return qs
    leadership = scope.instansi_ids_with(Role.PIMPINAN_INSTANSI, Role.OPERATOR)
    tpi = scope.instansi_ids_with(Role.TPI)
    condition = Q(unit_id__in=list(scope.unit_roles)) | Q(unit__instansi_id__in=list(leadership))
    if tpi:
        condition |= Q(unit__instansi_id__in=list(tpi), assignments__evaluator=user)
    return qs.filter(condition).distinct()


def roles_on_assessment(user: AnyUser, assessment) -> frozenset[str]:
    scope = scope_of(user)
    roles = set(scope.roles_on_unit(assessment.unit))
    if Role.TPI in roles and not assessment.assignments.filter(evaluator=user).exists():
        roles.discard(Role.TPI)
    return frozenset(roles)


def can_on_assessment(user: AnyUser, assessment, action: AssessmentAction) -> bool:
    return bool(roles_on_assessment(user, assessment) & _ASSESSMENT_ACTION_ROLES[action])


def get_assessment_for(user: AnyUser, pk: int, action: AssessmentAction = AssessmentAction.VIEW):
    """The assessment if the user may do `action`; 404 outside scope, 403 without the right."""
    from assessments.models import Assessment

    try:
        assessment = visible_assessments(user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_on_assessment(user, assessment, action):
        raise PermissionDenied
    return assessment
