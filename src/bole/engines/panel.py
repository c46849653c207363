"""Household income panels: the change from a baseline to the latest follow-up, its median and its coverage.

Pure NumPy; no Django. A panel is three aligned arrays, one entry per completed survey: the household, the wave
(0 = baseline, k = 6·k months later) and the income (元 over the twelve months before the survey).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VERSION = "panel-1.0.0"


@dataclass(frozen=True)
class PanelChange:
    """What a panel shows: per covered household the change, their median, and how many households it covers."""

    households: int  # households on the panel (the denominator of coverage)
    covered: int  # with a baseline and at least one follow-up at least `min_wave` waves later
    median_change: float | None  # 元 a year; None when nobody is covered
    mean_change: float | None
    above: int  # covered households whose change reaches `threshold`
    threshold: float
    min_wave: int
    version: str = VERSION

    @property
    def coverage(self) -> float:
        return self.covered / self.households if self.households else 0.0


def income_change(household: np.ndarray, wave: np.ndarray, income: np.ndarray, *, households: int,
                  min_wave: int = 2, threshold: float = 30000.0) -> PanelChange:
    """Each household's change from its baseline (wave 0) to its latest completed follow-up of wave ≥ `min_wave`
    (two waves: a year after the baseline, so the change is a year's), then their median.

    Households without a baseline or without such a follow-up are not covered: they count in `households` only,
    so the coverage says how much of the claim rests on records.
    """
    household = np.asarray(household, dtype=np.int64)
    wave = np.asarray(wave, dtype=np.int64)
    income = np.asarray(income, dtype=np.float64)
    if household.size == 0:
        return PanelChange(households, 0, None, None, 0, threshold, min_wave)
    base_mask = wave == 0
    base_ids, base_first = np.unique(household[base_mask], return_index=True)
    base_income = income[base_mask][base_first]
    follow = wave >= min_wave
    fh, fw, fi = household[follow], wave[follow], income[follow]
    # latest follow-up per household: sort by (household, wave) and keep each household's last row
    order = np.lexsort((fw, fh))
    fh, fi = fh[order], fi[order]
    last = np.r_[fh[1:] != fh[:-1], True] if fh.size else np.array([], dtype=bool)
    latest_ids, latest_income = fh[last], fi[last]
    common, bi, li = np.intersect1d(base_ids, latest_ids, return_indices=True)
    change = latest_income[li] - base_income[bi]
    if common.size == 0:
        return PanelChange(households, 0, None, None, 0, threshold, min_wave)
    return PanelChange(households, int(common.size), float(np.median(change)), float(change.mean()),
                       int((change >= threshold).sum()), threshold, min_wave)
