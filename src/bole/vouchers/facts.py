"""The facts eligibility is decided on: read from the registers (the person, the talent register, the enterprise)
and, for what no register holds (a cost, a headcount), from the applicant's declaration.

A declaration can never override a register fact: only `DECLARABLE` keys are read from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from bole.engines import vouchers as engine
from bole.talent.choices import TalentStatus
from bole.talent.models import Talent

DECLARABLE = {"employees": int, "revenue_wan": float, "equipment_cost": int, "service_cost": int}


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def clean_declared(declared: dict[str, Any]) -> dict[str, Any]:
    """The declarable facts as numbers; a bad value is left out (its criterion then fails as unknown)."""
    out: dict[str, Any] = {}
    for key, kind in DECLARABLE.items():
        value = declared.get(key)
        if value in (None, ""):
            continue
        try:
            number = kind(value)
        except (TypeError, ValueError):
            continue
        if number < 0:
            continue
        out[key] = number
    return out


def facts_of(*, person=None, enterprise=None, declared: dict[str, Any] | None = None,
             on: dt.date | None = None) -> dict[str, Any]:
    """Everything a criterion may name, for one person or one enterprise, on a day."""
    day = on or timezone.localdate()
    facts: dict[str, Any] = {"date": day, **clean_declared(declared or {})}
    if person is not None:
        talent = (Talent.objects.filter(person=person, status=TalentStatus.ACTIVE)
                  .values("level", "industry", "region_code", "field", "birth_date").first())
        facts["age"] = _age(person.birth_date, day)
        facts["region"] = talent["region_code"] if talent else person.unit.region.code
        facts["is_talent"] = bool(talent) or bool(person.is_talent)
        if talent:
            facts["talent_level"] = talent["level"]
            facts["industry"] = talent["industry"]
            facts["field"] = talent["field"]
    if enterprise is not None:
        facts["industry"] = enterprise.industry
        facts["region"] = enterprise.region.code
        facts["talents_employed"] = Talent.objects.filter(employer=enterprise, status=TalentStatus.ACTIVE).count()
        size = engine.enterprise_size(facts.get("employees"), facts.get("revenue_wan"))
        if size:
            facts["enterprise_size"] = size
    return facts
