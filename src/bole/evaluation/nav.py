"""Menu entries of the evaluation app (predicates read only the cached scope: no query per page)."""

from django.utils.translation import gettext_lazy as _


def _evaluations(user):
    from bole.core.scoping import scope_of

    scope = scope_of(user)
    return scope.kind in {"all", "region", "unit", "person"} and scope.role != "judge"


def _judge(user):
    from bole.core.scoping import scope_of

    return scope_of(user).role == "judge"


ITEMS = [
    (_("测评与赛事"), "evaluation-list", _evaluations),
    (_("评委打分"), "evaluation-judge-home", _judge),
]
