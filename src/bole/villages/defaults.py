"""The 强村指数's starting indicators (a county edits them as configuration)."""

from __future__ import annotations

from django.db import transaction

from .models import OPERATING_INCOME, Indicator
from .services import indicator_create

# code, name, unit, direction, weight, in_index, lo, hi, target, denominator code, scale
DEFAULT_INDICATORS = [
    (OPERATING_INCOME, "村集体经济经营性收入", "万元", 1, 3, True, 0, 300, 150, None, 1),
    ("total_income", "村集体经济总收入", "万元", 1, 1, True, 0, 600, 300, None, 1),
    ("assets", "人均集体资产", "元/人", 1, 1, True, 0, 20000, 10000, "population", 10000),
    ("debt_ratio", "资产负债率", "%", -1, 1, True, 0, 80, 20, None, 1),
    ("land_transferred", "土地流转面积", "亩", 1, 1, True, 0, 3000, 1500, None, 1),
    ("visitors", "接待游客", "万人次", 1, 1, True, 0, 50, 20, None, 1),
    ("projects", "强村项目数", "个", 1, 1, True, 0, 10, 5, None, 1),
    ("population", "户籍人口", "人", 1, 0, False, None, None, None, None, 1),
    ("party_members", "党员人数", "人", 1, 0, False, None, None, None, None, 1),
]


@transaction.atomic
def indicators_ensure(*, actor) -> list[Indicator]:
    """Create the starting indicators that are missing (idempotent; existing ones are left as configured)."""
    have = {i.code: i for i in Indicator.objects.all()}
    order = {row[0]: k for k, row in enumerate(DEFAULT_INDICATORS, start=1)}
    # an indicator with a denominator after the one it divides by
    for code, name, unit, direction, weight, in_index, lo, hi, target, den, scale in sorted(
            DEFAULT_INDICATORS, key=lambda r: r[9] is not None):
        sort = order[code]
        if code in have:
            continue
        have[code] = indicator_create(actor=actor, code=code, name=name, unit=unit, direction=direction,
                                      weight=weight, in_index=in_index, lo=lo, hi=hi, target=target,
                                      denominator=have.get(den) if den else None, scale=scale, sort=sort)
    return [have[r[0]] for r in DEFAULT_INDICATORS]
