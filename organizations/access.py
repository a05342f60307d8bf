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
    # The rulebook's stored content (the whole YAML as JSON) is read only when the engine's
    # per-process cache misses (assessments.rulebooks.engine_rulebook): not on every request.
    qs = Assessment.objects.select_related(
        "unit", "unit__instansi", "rulebook", "rulebook__rulebook"
    ).defer("rulebook__content")
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


# --- PEKPPP ------------------------------------------------------------------------------------
# A period belongs to an instansi; its Unit Lokus Evaluasi (ULE) are units of that instansi. The
# ULE's own unit members see it; pimpinan instansi, operators and every evaluator_pekppp (the
# Biro Organisasi) of the instansi see all its ULEs; only the evaluators assigned to a ULE score
# it. TPI (a ZI role) has no PEKPPP scope.


class PekpppAction(StrEnum):
    VIEW = "view"
    FILL = "fill"  # ULE team: pra-evaluasi, F-01, bukti dukung, video, SKM, follow-up
    REVIEW = "review"  # instansi-level reading: F-02 sheet, reports, exports, dashboard
    SCORE = "score"  # assigned evaluator: F-02 scores, recommendations, finalising
    MANAGE = "manage"  # operator: periods, stages, nomination, assignment, blending


_PEKPPP_INSTANSI_ROLES = frozenset({Role.PIMPINAN_INSTANSI, Role.OPERATOR, Role.EVALUATOR_PEKPPP})

_PEKPPP_ACTION_ROLES: dict[PekpppAction, frozenset[str]] = {
    PekpppAction.VIEW: _PEKPPP_INSTANSI_ROLES | {Role.TIM_UNIT, Role.PIMPINAN_UNIT},
    PekpppAction.FILL: frozenset({Role.TIM_UNIT}),
    PekpppAction.REVIEW: _PEKPPP_INSTANSI_ROLES,
    PekpppAction.SCORE: frozenset({Role.EVALUATOR_PEKPPP}),
    PekpppAction.MANAGE: frozenset({Role.OPERATOR}),
}


def pekppp_instansi_ids(user: AnyUser, action: PekpppAction = PekpppAction.REVIEW) -> set[int]:
    """Instansi on which the user holds an instansi-level role allowing `action`."""
    return scope_of(user).instansi_ids_with(*_PEKPPP_ACTION_ROLES[action])


def can_review_pekppp(user: AnyUser) -> bool:
    """Whether the user reads PEKPPP at instansi level somewhere (reports, dashboard)."""
    return scope_of(user).is_superuser or bool(pekppp_instansi_ids(user))


def visible_pekppp_periods(user: AnyUser):
    from pekppp.models import Period

    scope = scope_of(user)
    qs = Period.objects.select_related("instansi", "instrument").defer("instrument__content")
    if scope.is_superuser:
        return qs
    condition = Q(instansi_id__in=list(pekppp_instansi_ids(user))) | Q(
        ules__unit_id__in=list(scope.unit_roles)
    )
    return qs.filter(condition).distinct()


def roles_on_pekppp_period(user: AnyUser, period) -> frozenset[str]:
    scope = scope_of(user)
    if scope.is_superuser:
        return frozenset({Role.OPERATOR})
    return scope.instansi_roles.get(period.instansi_id, frozenset())


def get_pekppp_period_for(user: AnyUser, pk: int, action: PekpppAction = PekpppAction.VIEW):
    """The period if the user may do `action`; 404 outside scope, 403 without the right.
    VIEW is open to unit members whose unit is a ULE of the period; the rest needs an
    instansi-level role."""
    from pekppp.models import Period

    try:
        period = visible_pekppp_periods(user).get(pk=pk)
    except (Period.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != PekpppAction.VIEW and not (
        roles_on_pekppp_period(user, period) & _PEKPPP_ACTION_ROLES[action]
    ):
        raise PermissionDenied
    return period


def visible_ules(user: AnyUser):
    from pekppp.models import UnitLokus

    scope = scope_of(user)
    # The instrument's stored content is large and read through engine_rulebook's cache.
    qs = (
        UnitLokus.objects.select_related(
            "unit", "unit__instansi", "period", "period__instansi", "period__instrument"
        )
        .defer("period__instrument__content")
        .prefetch_related("assignments")
    )
    if scope.is_superuser:
        return qs
    return qs.filter(
        Q(unit_id__in=list(scope.unit_roles))
        | Q(period__instansi_id__in=list(pekppp_instansi_ids(user)))
    )


def roles_on_ule(user: AnyUser, ule) -> frozenset[str]:
    roles = set(scope_of(user).roles_on_unit(ule.unit))
    if Role.EVALUATOR_PEKPPP in roles and not ule.is_assigned(user):
        roles.discard(Role.EVALUATOR_PEKPPP)
        roles.add(_UNASSIGNED_EVALUATOR)
    return frozenset(roles)


# An evaluator_pekppp who is not assigned to a ULE still reads it (the Biro follows every ULE),
# but does not score it.
_UNASSIGNED_EVALUATOR = "evaluator_pekppp:unassigned"


def can_on_ule(user: AnyUser, ule, action: PekpppAction) -> bool:
    roles = roles_on_ule(user, ule)
    allowed = set(_PEKPPP_ACTION_ROLES[action])
    if action in (PekpppAction.VIEW, PekpppAction.REVIEW):
        allowed.add(_UNASSIGNED_EVALUATOR)
    return bool(roles & allowed)


def get_ule_for(user: AnyUser, pk: int, action: PekpppAction = PekpppAction.VIEW):
    """The Unit Lokus Evaluasi if the user may do `action`; 404 outside scope, 403 without
    the right (read-only roles, the ULE team on the evaluator's sheet, unassigned evaluators
    trying to score)."""
    from pekppp.models import UnitLokus

    try:
        ule = visible_ules(user).get(pk=pk)
    except (UnitLokus.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_on_ule(user, ule, action):
        raise PermissionDenied
    return ule


def visible_recommendations(user: AnyUser):
    """Recommendations of every ULE the user sees, with what lists need (no N+1)."""
    from pekppp.models import Recommendation

    return Recommendation.objects.filter(ule__in=visible_ules(user).values("pk")).select_related(
        "ule", "ule__unit", "ule__period", "indicator", "aspect"
    )


def get_recommendation_for(user: AnyUser, pk: int, action: PekpppAction = PekpppAction.VIEW):
    from pekppp.models import Recommendation

    try:
        rec = visible_recommendations(user).get(pk=pk)
    except (Recommendation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_on_ule(user, rec.ule, action):
        raise PermissionDenied
    return rec


# --- Leadership (readiness dashboard, instansi summary) ------------------------------------------
# Pimpinan instansi and operators follow every unit of their instansi; a pimpinan unit follows
# only the units they head. Other roles have no leadership view.

LEADERSHIP_INSTANSI_ROLES = frozenset({Role.PIMPINAN_INSTANSI, Role.OPERATOR})


def leadership_instansi_ids(user: AnyUser) -> set[int]:
    """Instansi the user follows as a whole (every instansi for a superuser)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return set(Instansi.objects.values_list("pk", flat=True))
    return scope.instansi_ids_with(*LEADERSHIP_INSTANSI_ROLES)


def leadership_units(user: AnyUser) -> QuerySet[UnitKerja]:
    """Units on the user's readiness dashboard: every unit of the instansi they lead, plus the
    units they head as pimpinan unit."""
    scope = scope_of(user)
    units = UnitKerja.objects.select_related("instansi")
    if scope.is_superuser:
        return units
    headed = [pk for pk, roles in scope.unit_roles.items() if Role.PIMPINAN_UNIT in roles]
    led = list(scope.instansi_ids_with(*LEADERSHIP_INSTANSI_ROLES))
    return units.filter(Q(pk__in=headed) | Q(instansi_id__in=led))


def can_view_leadership(user: AnyUser) -> bool:
    scope = scope_of(user)
    if scope.is_superuser or scope.instansi_ids_with(*LEADERSHIP_INSTANSI_ROLES):
        return True
    return any(Role.PIMPINAN_UNIT in roles for roles in scope.unit_roles.values())


def can_lead_unit(user: AnyUser, unit: UnitKerja) -> bool:
    return bool(
        scope_of(user).roles_on_unit(unit)
        & {Role.PIMPINAN_INSTANSI, Role.OPERATOR, Role.PIMPINAN_UNIT}
    )


def get_led_instansi_for(user: AnyUser, pk: int) -> Instansi:
    """An instansi the user leads as a whole; 404 outside scope, 403 for a unit-level role."""
    try:
        instansi = visible_instansi(user).get(pk=pk)
    except (Instansi.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if instansi.pk not in leadership_instansi_ids(user):
        raise PermissionDenied
    return instansi
