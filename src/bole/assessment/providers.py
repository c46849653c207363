"""个人任务完成率 providers: each mechanism that assigns tasks registers a provider here.

A provider is ``(person_ids, period) -> (completed, assigned)``: two integer arrays aligned with the
sorted ``person_ids`` array, computed with one or a few aggregate queries (never a query per person).
The assessment adds up every registered provider, so a task counted by a mechanism is counted once.
Mechanism apps register theirs in ``AppConfig.ready()`` with ``register_task_provider``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from django.utils.translation import gettext_lazy as _

TaskProvider = Callable[[np.ndarray, str], tuple[np.ndarray, np.ndarray]]

_PROVIDERS: dict[str, tuple[str, TaskProvider]] = {}


def register_task_provider(name: str, label: str, provider: TaskProvider) -> None:
    """Add (or replace) a source of assigned/completed task counts."""
    _PROVIDERS[name] = (label, provider)


def unregister_task_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def task_providers() -> dict[str, tuple[str, TaskProvider]]:
    return dict(_PROVIDERS)


def align(person_ids: np.ndarray, ids, values) -> np.ndarray:
    """Values keyed by id → an int array aligned with the sorted person_ids (0 where absent)."""
    out = np.zeros(person_ids.size, dtype=np.int64)
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size == 0 or person_ids.size == 0:
        return out
    pos = np.clip(np.searchsorted(person_ids, ids), 0, person_ids.size - 1)
    hit = person_ids[pos] == ids
    np.add.at(out, pos[hit], np.asarray(values, dtype=np.int64)[hit])
    return out


def manual_tasks(person_ids: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Counts entered or imported by hand in the task register (个人任务台账)."""
    from .models import TaskTally

    rows = list(TaskTally.objects.filter(period=period).values_list("person_id", "completed", "assigned"))
    if not rows:
        zero = np.zeros(person_ids.size, dtype=np.int64)
        return zero, zero.copy()
    ids, completed, assigned = zip(*rows, strict=True)
    return align(person_ids, ids, completed), align(person_ids, ids, assigned)


def task_sources(person_ids: np.ndarray, period: str) -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """Each registered provider's (label, completed, assigned), by provider name (the explanation shows them)."""
    out = {}
    for name, (label, provider) in sorted(_PROVIDERS.items()):
        c, a = provider(person_ids, period)
        out[name] = (str(label), c, a)
    return out


def task_counts(
    person_ids: np.ndarray, period: str
) -> tuple[np.ndarray, np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Completed and assigned summed over every provider, plus each provider's (completed, assigned)."""
    completed = np.zeros(person_ids.size, dtype=np.int64)
    assigned = np.zeros(person_ids.size, dtype=np.int64)
    by_source = {}
    for name, (_label, c, a) in task_sources(person_ids, period).items():
        completed += c
        assigned += a
        by_source[name] = (c, a)
    return completed, assigned, by_source


register_task_provider("manual", _("个人任务台账"), manual_tasks)
