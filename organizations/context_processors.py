from django.http import HttpRequest

from organizations.access import scope_of
from organizations.models import Role


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar may show: each role sees only what it can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    roles = scope_of(user).roles
    return {
        "nav": {
            "roles": roles,
            "is_unit_member": bool(roles & {Role.TIM_UNIT, Role.PIMPINAN_UNIT}),
            "is_leadership": bool(roles & {Role.PIMPINAN_INSTANSI, Role.OPERATOR}),
            "is_tpi": Role.TPI in roles,
            "can_admin": user.is_staff and Role.OPERATOR in roles,
        }
    }
