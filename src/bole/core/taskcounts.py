"""Counting tasks per person for 个人任务完成率: what a declared `TaskProvider` uses to hand back its counts."""

from __future__ import annotations

import numpy as np


def align(person_ids: np.ndarray, ids, values, dtype=np.int64) -> np.ndarray:
    """Values keyed by id → an array (int unless `dtype` says otherwise) aligned with the sorted person_ids (0 where
    absent)."""
    out = np.zeros(person_ids.size, dtype=dtype)
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size == 0 or person_ids.size == 0:
        return out
    pos = np.clip(np.searchsorted(person_ids, ids), 0, person_ids.size - 1)
    hit = person_ids[pos] == ids
    np.add.at(out, pos[hit], np.asarray(values, dtype=dtype)[hit])
    return out
