"""The eligibility engine's reasons in plain words (the policy page, the application page, refusals)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from bole.org.choices import Industry
from bole.talent.choices import TalentLevel

from .choices import FACTS, OP_LABELS, EnterpriseSize

_VALUE_LABELS: dict[str, dict[str, Any]] = {
    "talent_level": dict(TalentLevel.choices),
    "industry": dict(Industry.choices),
    "enterprise_size": dict(EnterpriseSize.choices),
}


def _value(fact: str, value: Any) -> str:
    labels = _VALUE_LABELS.get(fact, {})
    if isinstance(value, list):
        return "、".join(_value(fact, v) for v in value)
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    if fact == "region":
        from bole.org.models import Region  # noqa: PLC0415 - names of the codes a criterion lists

        name = Region.objects.filter(code=str(value)).values_list("name", flat=True).first()
        return name or str(value)
    return str(labels.get(value, value))


def criterion_text(c: dict) -> str:
    """A criterion as a sentence: 人才层次 属于 国家级、省级."""
    fact = str(FACTS.get(c["fact"], c["fact"]))
    op = c["op"]
    if op == "true":
        return str(_("须为%(fact)s")) % {"fact": fact}
    if op == "between":
        return str(_("%(fact)s在 %(a)s 至 %(b)s 之间")) % {"fact": fact, "a": c["value"][0], "b": c["value"][1]}
    return f"{fact} {OP_LABELS.get(op, op)} {_value(c['fact'], c.get('value'))}"


def explain(reasons: Iterable) -> list[str]:
    """One line per reason: what the policy asks, what the holder has, passed or not."""
    out = []
    for r in reasons:
        fact = str(FACTS.get(r.fact, r.fact))
        asks = criterion_text({"fact": r.fact, "op": r.op, "value": r.wanted})
        if not r.known:
            out.append(str(_("%(asks)s（未掌握%(fact)s）")) % {"asks": asks, "fact": fact})
        else:
            verdict = _("符合") if r.passed else _("不符合")
            out.append(str(_("%(asks)s：实际为 %(actual)s，%(verdict)s")) % {
                "asks": asks, "actual": _value(r.fact, r.actual), "verdict": verdict})
    return out


def reasons_of(stored: dict) -> list:
    """The stored decision (Application.eligibility) back as reason objects for `explain`."""
    from bole.engines.vouchers import Reason  # noqa: PLC0415

    return [Reason(r["fact"], r["op"], r["wanted"], r["actual"], r["passed"], r.get("known", True))
            for r in stored.get("reasons", [])]
