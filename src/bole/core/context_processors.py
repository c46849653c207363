"""Navigation entries for the base template, filtered by what the user may see."""

from .scoping import scope_of


def nav(request):
    user = getattr(request, "user", None)
    scope = scope_of(user) if user is not None else None
    return {"bole_scope": scope, "bole_is_admin": bool(scope and scope.kind == "all")}
