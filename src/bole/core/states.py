"""The one check every state machine makes before it moves a record: is `to` a state at all, and may it follow the
record's state? Each app keeps its own table of moves ({state: {states it may become}}) and its own effects; the
refusal reads the same everywhere, in the user's words (the states' labels)."""

from __future__ import annotations

from collections.abc import Mapping, Set

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _


def move_refused(states: type[TextChoices], current: str, to: str, *, field: str | None = None) -> ValidationError:
    """The error for a move the table does not allow (or to a state that does not exist), keyed by `field`."""
    if to not in states.values:
        message = _("未知的状态“%(to)s”") % {"to": to}
    else:
        message = _("不能从“%(a)s”变为“%(b)s”") % {"a": states(current).label, "b": states(to).label}
    return ValidationError({field: message} if field else message)


def check_move(moves: Mapping[str, Set[str]], states: type[TextChoices], current: str, to: str, *,
               field: str | None = None) -> None:
    """Raise `move_refused` unless `moves` lets `current` become `to`."""
    if to not in states.values or to not in moves.get(current, ()):
        raise move_refused(states, current, to, field=field)
