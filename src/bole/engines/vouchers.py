"""Talent policies and vouchers: eligibility as data, amount formulas, enterprise size classes and fraud signals.

Pure computation (no Django): the app loads the facts of a holder and the policy's criteria, asks this module,
and stores the answer with ENGINE_VERSION.

Money is integer fen throughout (1 元 = 100 fen), so every sum reconciles to the cent.

Criteria (a policy's ``criteria``, a list of dicts), each one condition on a fact:

* ``{"fact": "talent_level", "op": "in", "value": ["national", "provincial"]}``
* ``{"fact": "age", "op": "lte", "value": 35}``; ops ``eq``, ``ne``, ``in``, ``not_in``, ``gte``, ``lte``,
  ``prefix`` (region codes: the holder's region starts with one of ``value``), ``true`` (a yes/no fact holds);
* dates: ``{"fact": "date", "op": "between", "value": ["2026-01-01", "2026-12-31"]}`` (ISO strings).

A fact missing from the holder's facts fails its criterion with the reason "unknown", never passes silently.

Amounts (a policy's ``formula``):

* ``{"kind": "fixed", "amount": 200000}`` — fen;
* ``{"kind": "share", "base": "equipment_cost", "share": "0.3", "cap": 50000000}`` — a share of a declared cost,
  rounded down to the fen, at most ``cap``;
* ``{"kind": "by_fact", "fact": "talent_level", "amounts": {"national": 1000000, ...}, "default": 0}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

import numpy as np

ENGINE_VERSION = "vouchers-1.0.0"

OPS = ("eq", "ne", "in", "not_in", "gte", "lte", "prefix", "true", "between")


@dataclass(frozen=True)
class Reason:
    """One criterion's verdict: which fact, what the policy asks, what the holder has, and whether it passed."""

    fact: str
    op: str
    wanted: Any
    actual: Any
    passed: bool
    known: bool = True


@dataclass(frozen=True)
class Decision:
    """The eligibility of one holder for one policy: yes only when every criterion passed."""

    eligible: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    version: str = ENGINE_VERSION

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.passed)


class CriteriaError(ValueError):
    """A policy's criteria or formula is not well formed (caught when the policy is saved)."""


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def validate_criteria(criteria: Any) -> list[dict]:
    """The criteria as a clean list, or CriteriaError naming the first bad entry."""
    if not isinstance(criteria, list):
        raise CriteriaError("criteria must be a list")
    out = []
    for i, c in enumerate(criteria, 1):
        if not isinstance(c, Mapping) or not isinstance(c.get("fact"), str) or not c.get("fact"):
            raise CriteriaError(f"criterion {i}: needs a fact")
        op = c.get("op")
        if op not in OPS:
            raise CriteriaError(f"criterion {i}: unknown op {op!r}")
        value = c.get("value")
        if op in ("in", "not_in", "prefix") and not isinstance(value, list):
            raise CriteriaError(f"criterion {i}: {op} needs a list")
        if op == "between":
            if not isinstance(value, list) or len(value) != 2:
                raise CriteriaError(f"criterion {i}: between needs two dates")
            try:
                lo, hi = _date(value[0]), _date(value[1])
            except (TypeError, ValueError) as exc:
                raise CriteriaError(f"criterion {i}: bad date") from exc
            if hi < lo:
                raise CriteriaError(f"criterion {i}: dates in the wrong order")
        if op in ("gte", "lte") and not isinstance(value, int | float):
            raise CriteriaError(f"criterion {i}: {op} needs a number")
        out.append({"fact": c["fact"], "op": op, "value": value})
    return out


def _test(op: str, wanted: Any, actual: Any) -> bool:
    if op == "eq":
        return actual == wanted
    if op == "ne":
        return actual != wanted
    if op == "in":
        return actual in wanted
    if op == "not_in":
        return actual not in wanted
    if op == "gte":
        return float(actual) >= float(wanted)
    if op == "lte":
        return float(actual) <= float(wanted)
    if op == "prefix":
        return any(str(actual).startswith(str(p)) for p in wanted)
    if op == "true":
        return bool(actual) is bool(True if wanted is None else wanted)
    if op == "between":
        day = _date(actual)
        return _date(wanted[0]) <= day <= _date(wanted[1])
    raise CriteriaError(f"unknown op {op!r}")


def check(criteria: Sequence[Mapping[str, Any]], facts: Mapping[str, Any]) -> Decision:
    """Every criterion against the facts, each with its reason; eligible when all pass (none fails unknown)."""
    reasons = []
    for c in criteria:
        fact, op, wanted = c["fact"], c["op"], c.get("value")
        if fact not in facts or facts[fact] is None or facts[fact] == "":
            reasons.append(Reason(fact, op, wanted, None, False, known=False))
            continue
        actual = facts[fact]
        try:
            ok = _test(op, wanted, actual)
        except (TypeError, ValueError):
            ok = False
        reasons.append(Reason(fact, op, wanted, actual, ok))
    return Decision(all(r.passed for r in reasons), tuple(reasons))


def validate_formula(formula: Any) -> dict:
    """The formula as a clean dict, or CriteriaError."""
    if not isinstance(formula, Mapping):
        raise CriteriaError("formula must be an object")
    kind = formula.get("kind")
    if kind == "fixed":
        amount = formula.get("amount")
        if not isinstance(amount, int) or amount < 0:
            raise CriteriaError("fixed amount must be whole fen ≥ 0")
        return {"kind": "fixed", "amount": amount}
    if kind == "share":
        try:
            share = Decimal(str(formula.get("share")))
        except (InvalidOperation, ValueError) as exc:
            raise CriteriaError("share must be a number") from exc
        if not (Decimal(0) < share <= Decimal(1)):
            raise CriteriaError("share must be in (0, 1]")
        cap = formula.get("cap")
        if cap is not None and (not isinstance(cap, int) or cap < 0):
            raise CriteriaError("cap must be whole fen ≥ 0")
        base = formula.get("base")
        if not isinstance(base, str) or not base:
            raise CriteriaError("share needs a base fact")
        return {"kind": "share", "base": base, "share": str(share), "cap": cap}
    if kind == "by_fact":
        amounts = formula.get("amounts")
        if not isinstance(amounts, Mapping) or not all(isinstance(v, int) and v >= 0 for v in amounts.values()):
            raise CriteriaError("amounts must map values to whole fen ≥ 0")
        default = formula.get("default", 0)
        if not isinstance(default, int) or default < 0:
            raise CriteriaError("default must be whole fen ≥ 0")
        return {"kind": "by_fact", "fact": str(formula.get("fact") or ""), "amounts": dict(amounts),
                "default": default}
    raise CriteriaError(f"unknown formula kind {kind!r}")


def amount_fen(formula: Mapping[str, Any], facts: Mapping[str, Any]) -> int:
    """The amount the formula gives for these facts, in whole fen (a share rounds down, never above its cap)."""
    kind = formula["kind"]
    if kind == "fixed":
        return int(formula["amount"])
    if kind == "share":
        base = facts.get(formula["base"])
        if base is None:
            return 0
        value = (Decimal(int(base)) * Decimal(formula["share"])).to_integral_value(rounding=ROUND_DOWN)
        value = max(0, int(value))
        cap = formula.get("cap")
        return min(value, int(cap)) if cap is not None else value
    if kind == "by_fact":
        return int(formula["amounts"].get(str(facts.get(formula["fact"])), formula.get("default", 0)))
    raise CriteriaError(f"unknown formula kind {kind!r}")


# 统计上大中小微型企业划分办法（2017）, the industrial rows (工业): employees and revenue (营业收入, 万元).
# Other industries use the same thresholds here, a simplification the policy page states.
def enterprise_size(employees: int | None, revenue_wan: float | None) -> str | None:
    """large / medium / small / micro by employees and yearly revenue (万元), or None when either is unknown.

    A class needs both of its lower bounds (large: ≥1000 people and ≥40000 万元; medium ≥300 and ≥2000; small
    ≥20 and ≥300); an enterprise below on either is in the class under it."""
    if employees is None or revenue_wan is None:
        return None
    if employees >= 1000 and revenue_wan >= 40000:
        return "large"
    if employees >= 300 and revenue_wan >= 2000:
        return "medium"
    if employees >= 20 and revenue_wan >= 300:
        return "small"
    return "micro"


def split_fen(total: int, parts: int) -> list[int]:
    """Split whole fen into `parts` shares that differ by at most one fen and add up exactly."""
    if parts <= 0:
        return []
    base, extra = divmod(int(total), parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# --- fraud signals --------------------------------------------------------------------------------------------

SIGNAL_PAIR = "pair"  # the same holder and merchant again and again
SIGNAL_BUNCHED = "bunched"  # a merchant's redemptions bunched in the last days before vouchers expire
SIGNAL_SHARE = "share"  # one merchant takes an outsized share of a fund
SIGNAL_ROUND = "round"  # a merchant's amounts are round again and again


@dataclass(frozen=True)
class Signal:
    """A pattern worth a reviewer's look (never a verdict): who, what, how strong, and the figures behind it."""

    kind: str
    merchant: int
    holder: int | None
    count: int
    score: float
    detail: dict


@dataclass(frozen=True)
class SignalParams:
    pair_min: int = 5  # redemptions of one holder at one merchant
    bunched_days: int = 3  # "just before expiry": within this many days of the voucher's end
    bunched_min: int = 5
    bunched_ratio: float = 3.0  # a merchant's near-expiry share over the fund's
    share_min: float = 0.25  # a merchant's share of a fund's redeemed amount
    share_merchants: int = 4  # only where the fund has at least this many merchants
    round_unit: int = 10000  # 100 元
    round_min: int = 5
    round_ratio: float = 0.8


def signals(merchant: np.ndarray, holder: np.ndarray, amount: np.ndarray, days_left: np.ndarray,
            params: SignalParams | None = None) -> list[Signal]:
    """Fraud signals over one fund's live redemptions (arrays of equal length: merchant id, holder key, amount in
    fen, days between the redemption and its voucher's last day). Ordered strongest first within each kind."""
    p = params or SignalParams()
    merchant = np.asarray(merchant, dtype=np.int64)
    holder = np.asarray(holder, dtype=np.int64)
    amount = np.asarray(amount, dtype=np.int64)
    days_left = np.asarray(days_left, dtype=np.int64)
    out: list[Signal] = []
    n = merchant.size
    if n == 0:
        return out
    # Same pair again and again.
    pairs = np.stack([merchant, holder], axis=1)
    uniq, inverse, counts = np.unique(pairs, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    pair_amount = np.bincount(inverse, weights=amount)
    for k in np.argsort(-counts, kind="stable"):
        if counts[k] < p.pair_min:
            break
        out.append(Signal(SIGNAL_PAIR, int(uniq[k, 0]), int(uniq[k, 1]), int(counts[k]), float(counts[k]),
                          {"amount_fen": int(pair_amount[k])}))
    merchants, m_inv, m_counts = np.unique(merchant, return_inverse=True, return_counts=True)
    m_inv = m_inv.reshape(-1)
    near = days_left <= p.bunched_days
    fund_near = near.mean()
    m_near = np.bincount(m_inv, weights=near.astype(float))
    m_amount = np.bincount(m_inv, weights=amount)
    total = amount.sum()
    is_round = (amount % p.round_unit == 0) & (amount > 0)
    m_round = np.bincount(m_inv, weights=is_round.astype(float))
    for k in range(merchants.size):
        mid, cnt = int(merchants[k]), int(m_counts[k])
        share_near = m_near[k] / cnt
        ratio = share_near / fund_near if fund_near > 0 else 0.0
        if m_near[k] >= p.bunched_min and ratio >= p.bunched_ratio:
            out.append(Signal(SIGNAL_BUNCHED, mid, None, int(m_near[k]), float(ratio),
                              {"near_share": round(float(share_near), 4), "fund_near_share": round(float(fund_near), 4)}))
        share = m_amount[k] / total if total else 0.0
        if merchants.size >= p.share_merchants and share >= p.share_min:
            out.append(Signal(SIGNAL_SHARE, mid, None, cnt, float(share),
                              {"share": round(float(share), 4), "amount_fen": int(m_amount[k])}))
        round_share = m_round[k] / cnt
        if m_round[k] >= p.round_min and round_share >= p.round_ratio:
            out.append(Signal(SIGNAL_ROUND, mid, None, int(m_round[k]), float(round_share),
                              {"round_share": round(float(round_share), 4)}))
    order = {SIGNAL_PAIR: 0, SIGNAL_BUNCHED: 1, SIGNAL_SHARE: 2, SIGNAL_ROUND: 3}
    out.sort(key=lambda s: (order[s.kind], -s.score, s.merchant, s.holder or 0))
    return out
