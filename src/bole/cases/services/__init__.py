"""Writes of the case engine, one module per concern; every public name is here too.

- ``desks``: desks, categories, unit heads, the working calendar (configuration)
- ``intake``: submission and attachments
- ``similarity``: possible duplicates of a new case
- ``transitions``: the transition table and the one ``case_transition`` service
- ``tasks``: co-unit sub-tasks
- ``meetings``: coordination meetings
- ``escalation``: the overdue sweep (a periodic job)
- ``history``: bulk history for imports and the demo county
- ``timeline``: the timeline row every service above writes
"""

from .. import calendar as clock
from .desks import (
    MAX_DEADLINE_DAYS,
    MAX_DECLINE_HOURS,
    MAX_ESCALATION_STEPS,
    calendar_entry_add,
    calendar_entry_remove,
    calendar_import,
    calendar_year_confirm,
    category_create,
    desk_create,
    desk_update,
    unit_head_set,
)
from .escalation import case_sweep
from .history import case_bulk_history, meeting_bulk_history
from .intake import MAX_ATTACHMENTS, attachment_add, case_submit
from .meetings import meeting_record
from .similarity import case_find_duplicates, text_similarity
from .tasks import task_add, task_complete, task_decline, task_owner_set, task_reassign
from .transitions import TRANSITIONS, allowed_actions, case_transition, warn_day

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_DEADLINE_DAYS",
    "MAX_DECLINE_HOURS",
    "MAX_ESCALATION_STEPS",
    "TRANSITIONS",
    "allowed_actions",
    "attachment_add",
    "calendar_entry_add",
    "calendar_entry_remove",
    "calendar_import",
    "calendar_year_confirm",
    "case_bulk_history",
    "case_find_duplicates",
    "case_submit",
    "case_sweep",
    "case_transition",
    "category_create",
    "clock",
    "desk_create",
    "desk_update",
    "meeting_bulk_history",
    "meeting_record",
    "task_add",
    "task_complete",
    "task_decline",
    "task_owner_set",
    "task_reassign",
    "text_similarity",
    "unit_head_set",
    "warn_day",
]
