"""个人任务完成率 providers: each mechanism that assigns tasks registers a provider here.

A provider is ``(person_ids, period) -> (completed, assigned)``: two integer arrays aligned with the
sorted ``person_ids`` array, computed with one or a few aggregate queries (never a query per person).
The assessment adds up every registered provider, so a task counted by a mechanism is counted once.
Each app declares its sources in its AppConfig (``task_providers = [TaskProvider(name, label, "dotted.path")]``,
see ``bole.core.plugins``); they use ``bole.core.taskcounts.align``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bole.core import plugins
from bole.core.taskcounts import align

from .models import TaskTally

TaskProvider = Callable[[np.ndarray, str], tuple[np.ndarray, np.ndarray]]


def task_providers() -> dict[str, tuple[str, TaskProvider]]:
    """name -> (label, provider) of every source the apps declare (`task_providers` in their AppConfig)."""
    return plugins.task_providers()


def manual_tasks(person_ids: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Counts entered or imported by hand in the task register (个人任务台账)."""
    rows = list(TaskTally.objects.filter(period=period).values_list("person_id", "completed", "assigned"))
    if not rows:
        zero = np.zeros(person_ids.size, dtype=np.int64)
        return zero, zero.copy()
    ids, completed, assigned = zip(*rows, strict=True)
    return align(person_ids, ids, completed), align(person_ids, ids, assigned)


def task_sources(person_ids: np.ndarray, period: str) -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """Each registered provider's (label, completed, assigned), by provider name (the explanation shows them)."""
    out = {}
    for name, (label, provider) in sorted(task_providers().items()):
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
