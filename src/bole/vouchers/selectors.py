"""Reads of talent policies and vouchers, each in the acting user's scope: lists, the holder's and the merchant's
own records, the figures, the reports (budget use by policy and month, redemptions by merchant, liabilities
outstanding) and the fraud signals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.figures import FLOW, STOCK, Figure
from bole.core.scoping import own_enterprise_id, own_person_id
from bole.engines import vouchers as engine

from .choices import EnrolmentStatus, EntryKind, RedemptionStatus, VoucherStatus
from .models import Application, Enrolment, Fund, FundEntry, Merchant, Redemption, SupportPolicy, Voucher
from .permissions import policy

R = RedemptionStatus
LIVE_SPENT = (R.PENDING, R.HELD, R.SETTLED)


def policies(*, user) -> QuerySet:
    return policy.restrict(SupportPolicy.objects.select_related("region"), user, "view")


def my_county(*, user):
    """The county a staff user's new policies belong to (their region; the instance's admins: the first county)."""
    from bole.core.scoping import region_reach  # noqa: PLC0415
    from bole.org.models import Region  # noqa: PLC0415

    reach = region_reach(user)
    qs = Region.objects.filter(level="county")
    if reach:
        qs = qs.filter(code__startswith=reach[:6])
    region = qs.order_by("code").first()
    if region is None:
        from django.core.exceptions import ValidationError  # noqa: PLC0415

        raise ValidationError({"region": _("没有可用的区县")})
    return region


def managed_funds(*, user) -> QuerySet:
    """The funds the user runs (staff in the policy's region)."""
    return policy.restrict(Fund.objects.select_related("policy"), user, "change")


def funds(*, user) -> QuerySet:
    return policy.restrict(Fund.objects.select_related("policy"), user, "view")


def applications(*, user) -> QuerySet:
    return policy.restrict(Application.objects.select_related("policy", "applicant_person", "applicant_enterprise"),
                           user, "view")


def my_applications(*, user) -> QuerySet:
    """The user's own applications (as a person or an enterprise)."""
    pid, eid = own_person_id(user), own_enterprise_id(user)
    if not pid and not eid:
        return Application.objects.none()
    q = Q(applicant_person_id=pid) if pid else Q(applicant_enterprise_id=eid)
    return applications(user=user).filter(q)


def vouchers(*, user) -> QuerySet:
    return policy.restrict(Voucher.objects.select_related("fund__policy", "holder_person", "holder_enterprise"),
                           user, "view")


def my_vouchers(*, user) -> QuerySet:
    """The vouchers the user holds (their person's or their enterprise's), never staff's whole scope."""
    pid, eid = own_person_id(user), own_enterprise_id(user)
    if not pid and not eid:
        return Voucher.objects.none()
    q = Q(holder_person_id=pid) if pid else Q(holder_enterprise_id=eid)
    return vouchers(user=user).filter(q)


def split_recipients(voucher: Voucher) -> QuerySet:
    """Who may receive a child voucher split from `voucher`: the persons of the active talents the holding
    enterprise employs (the talent register); a person's voucher is not split."""
    from bole.org.models import Person  # noqa: PLC0415 - the registers, read at call time
    from bole.talent.choices import TalentStatus  # noqa: PLC0415

    if not voucher.holder_enterprise_id:
        return Person.objects.none()
    return Person.objects.filter(talent_records__employer_id=voucher.holder_enterprise_id,
                                 talent_records__status=TalentStatus.ACTIVE).distinct().order_by("name", "id")


def my_merchant(*, user) -> Merchant | None:
    eid = own_enterprise_id(user)
    if not eid:
        return None
    return Merchant.objects.filter(enterprise_id=eid).select_related("enterprise").first()


def redemptions(*, user) -> QuerySet:
    """Transactions the user may see: staff's region, the merchant's own, and those on the holder's vouchers."""
    base = Redemption.objects.select_related("voucher", "merchant__enterprise", "fund__policy")
    seen = policy.restrict(base, user, "view")
    mine = my_vouchers(user=user)
    if own_person_id(user) or own_enterprise_id(user):
        return base.filter(Q(pk__in=seen.values("pk")) | Q(voucher__in=mine.values("pk")))
    return seen


def enrolments(*, user) -> QuerySet:
    return policy.restrict(Enrolment.objects.select_related("merchant__enterprise", "fund__policy"), user, "view")


def holder_key(person_id: int | None, enterprise_id: int | None) -> int:
    """One integer per holder for the signal engine (enterprises negative)."""
    return int(person_id) if person_id else -int(enterprise_id or 0)


# --- figures -------------------------------------------------------------------------------------------------


def _fen_sum(qs, field="amount_fen") -> int:
    return int(qs.aggregate(s=Sum(field))["s"] or 0)


def figures(*, user, period) -> list[Figure]:
    """The talent team's voucher figures, in the user's scope (the funds of policies in their region)."""
    fund_ids = managed_funds(user=user).values("pk")
    entries = FundEntry.objects.filter(fund__in=fund_ids)
    flow = entries.filter(**period.contains("at"))
    sums = dict(flow.values("kind").annotate(s=Sum("amount_fen")).values_list("kind", "s"))
    issued = (sums.get(EntryKind.ISSUE) or 0) - (sums.get(EntryKind.RELEASE) or 0)
    redeemed = (sums.get(EntryKind.REDEEM) or 0) - (sums.get(EntryKind.REVERSE) or 0)
    totals = Fund.objects.filter(pk__in=fund_ids).aggregate(b=Sum("budget_fen"), i=Sum("issued_fen"),
                                                            r=Sum("redeemed_fen"), s=Sum("settled_fen"))
    url = reverse("vouchers-home")
    n_vouchers = Voucher.objects.filter(fund__in=fund_ids, parent__isnull=True, **period.contains("issued_at")).count()
    n_redemptions = Redemption.objects.filter(fund__in=fund_ids, status__in=LIVE_SPENT,
                                              **period.contains("confirmed_at")).count()
    n_apps = Application.objects.filter(policy__funds__in=fund_ids, **period.contains("submitted_at")).distinct().count()
    merchants = Enrolment.objects.filter(fund__in=fund_ids, status=EnrolmentStatus.APPROVED).values(
        "merchant").distinct().count()
    wan = 1_000_000  # fen in 万元
    return [
        Figure("vouchers_issued_count", _("发放人才券"), n_vouchers, _("张"), FLOW, _("资金池发放的人才券（不含拆分子券）"), url),
        Figure("vouchers_issued_wan", _("人才券发放金额"), round(issued / wan, 2), _("万元"), FLOW,
               _("资金流水：发券减退回"), url),
        Figure("vouchers_redeemed_wan", _("人才券核销金额"), round(redeemed / wan, 2), _("万元"), FLOW,
               _("资金流水：核销减冲正"), reverse("vouchers-transactions")),
        Figure("vouchers_redemptions", _("人才券核销笔数"), n_redemptions, _("笔"), FLOW, _("持券人确认的核销"),
               reverse("vouchers-transactions")),
        Figure("vouchers_applications", _("政策申请"), n_apps, _("件"), FLOW, _("创新券、研发设备补贴等申请"),
               reverse("vouchers-applications")),
        Figure("vouchers_budget_wan", _("政策资金预算"), round((totals["b"] or 0) / wan, 2), _("万元"), STOCK,
               _("各资金池年度预算与追加之和"), url),
        Figure("vouchers_outstanding_wan", _("人才券未兑付余额"), round(((totals["i"] or 0) - (totals["r"] or 0)) / wan, 2),
               _("万元"), STOCK, _("已发放未核销的券面余额"), reverse("vouchers-reports")),
        Figure("vouchers_merchants", _("入驻商户与服务机构"), merchants, _("家"), STOCK, _("已审核入驻资金池的商户"), url),
    ]


# --- reports -------------------------------------------------------------------------------------------------


def fund_rows(*, user, year: int | None = None) -> list[dict[str, Any]]:
    """Per fund: budget (initial and top-ups), issued, redeemed, settled, pending settlement, unissued budget,
    outstanding balances and the use rate — the finance office's table."""
    qs = managed_funds(user=user)
    if year:
        qs = qs.filter(year=year)
    fs = list(qs.order_by("policy__document", "policy__article", "policy__name", "year"))
    sums: dict[tuple[int, str], int] = {(r["fund_id"], r["kind"]): r["s"] for r in FundEntry.objects.filter(
        fund__in=[f.pk for f in fs], kind__in=[EntryKind.BUDGET, EntryKind.TOPUP]).values("fund_id", "kind")
        .annotate(s=Sum("amount_fen"))}
    rows = []
    for f in fs:
        rows.append({"fund": f, "policy": f.policy, "year": f.year, "initial": sums.get((f.pk, EntryKind.BUDGET), 0),
                     "topups": sums.get((f.pk, EntryKind.TOPUP), 0), "budget": f.budget_fen, "issued": f.issued_fen,
                     "redeemed": f.redeemed_fen, "settled": f.settled_fen,
                     "pending": f.redeemed_fen - f.settled_fen, "unissued": f.budget_fen - f.issued_fen,
                     "outstanding": f.issued_fen - f.redeemed_fen,
                     "rate": round(100 * f.redeemed_fen / f.budget_fen, 1) if f.budget_fen else 0.0})
    return rows


def monthly(*, user, year: int) -> dict[str, Any]:
    """Budget use by policy and month: net issued and net redeemed per month of the year (fen)."""
    qs = (FundEntry.objects.filter(fund__in=managed_funds(user=user).values("pk"), at__year=year,
                                   kind__in=[EntryKind.ISSUE, EntryKind.RELEASE, EntryKind.REDEEM, EntryKind.REVERSE])
          .annotate(month=TruncMonth("at")).values("fund__policy_id", "fund__policy__name", "month", "kind")
          .annotate(s=Sum("amount_fen")))
    sign = {EntryKind.ISSUE: ("issued", 1), EntryKind.RELEASE: ("issued", -1), EntryKind.REDEEM: ("redeemed", 1),
            EntryKind.REVERSE: ("redeemed", -1)}
    table: dict[tuple[int, str], dict[str, list[int]]] = {}
    for r in qs:
        key = (r["fund__policy_id"], r["fund__policy__name"])
        row = table.setdefault(key, {"issued": [0] * 12, "redeemed": [0] * 12})
        name, s = sign[r["kind"]]
        month = r["month"].month if r["month"] else 1
        row[name][month - 1] += s * int(r["s"] or 0)
    rows = [{"policy_id": k[0], "policy": k[1], **v, "issued_total": sum(v["issued"]),
             "redeemed_total": sum(v["redeemed"])} for k, v in sorted(table.items(), key=lambda kv: kv[0][1])]
    return {"year": year, "months": list(range(1, 13)), "rows": rows}


def by_merchant(*, user, year: int | None = None) -> list[dict[str, Any]]:
    """Redemptions by merchant: count, amount, settled, pending, held, reversed (fen)."""
    qs = Redemption.objects.filter(fund__in=managed_funds(user=user).values("pk"))
    if year:
        qs = qs.filter(fund__year=year)
    rows = list(qs.values("merchant_id", "merchant__enterprise__name", "merchant__enterprise__credit_code")
                .annotate(n=Count("pk", filter=Q(status__in=LIVE_SPENT)),
                          amount=Sum("amount_fen", filter=Q(status__in=LIVE_SPENT)),
                          settled=Sum("amount_fen", filter=Q(status=R.SETTLED)),
                          pending=Sum("amount_fen", filter=Q(status=R.PENDING)),
                          held=Sum("amount_fen", filter=Q(status=R.HELD)),
                          reversed=Sum("amount_fen", filter=Q(status__in=[R.CANCELLED, R.REVERSED])))
                .order_by("-amount", "merchant_id"))
    return [{"merchant_id": r["merchant_id"], "name": r["merchant__enterprise__name"],
             "credit_code": r["merchant__enterprise__credit_code"], "count": r["n"],
             **{k: int(r[k] or 0) for k in ("amount", "settled", "pending", "held", "reversed")}}
            for r in rows if r["n"] or r["reversed"]]


def liabilities(*, user, today: dt.date | None = None) -> dict[str, Any]:
    """Liabilities outstanding: balances of live vouchers (by when they end), transactions not yet settled."""
    day = today or timezone.localdate()
    fund_ids = managed_funds(user=user).values("pk")
    live = Voucher.objects.filter(fund__in=fund_ids, status=VoucherStatus.ACTIVE, balance_fen__gt=0)
    buckets = [(_("30 天内到期"), 30), (_("90 天内到期"), 90), (_("更晚到期"), None)]
    out, lo = [], day
    for label, days in buckets:
        q = live.filter(valid_until__gte=lo)
        if days is not None:
            q = q.filter(valid_until__lt=day + dt.timedelta(days=days))
            lo = day + dt.timedelta(days=days)
        agg = q.aggregate(n=Count("pk"), s=Sum("balance_fen"))
        out.append({"label": label, "count": agg["n"], "fen": int(agg["s"] or 0)})
    unsettled = Redemption.objects.filter(fund__in=fund_ids, status__in=[R.PENDING, R.HELD]).aggregate(
        n=Count("pk"), s=Sum("amount_fen"))
    return {"buckets": out, "vouchers_fen": sum(b["fen"] for b in out),
            "unsettled_count": unsettled["n"], "unsettled_fen": int(unsettled["s"] or 0)}


# --- fraud signals -------------------------------------------------------------------------------------------


def fund_signals(*, fund: Fund, params: engine.SignalParams | None = None) -> list[dict[str, Any]]:
    """The signal engine over a fund's live transactions, with the names a reviewer reads."""
    rows = list(Redemption.objects.filter(fund=fund, status__in=LIVE_SPENT).values_list(
        "merchant_id", "voucher__holder_person_id", "voucher__holder_enterprise_id", "amount_fen", "confirmed_at",
        "voucher__valid_until"))
    if not rows:
        return []
    merchant = np.array([r[0] for r in rows])
    holder = np.array([holder_key(r[1], r[2]) for r in rows])
    amount = np.array([r[3] for r in rows])
    days_left = np.array([(r[5] - timezone.localdate(r[4])).days if r[4] else 999 for r in rows])
    found = engine.signals(merchant, holder, amount, days_left, params)
    names = dict(Merchant.objects.filter(pk__in={s.merchant for s in found}).values_list("pk", "enterprise__name"))
    from bole.org.models import Enterprise, Person  # noqa: PLC0415 - holder names for the signals found only

    people = dict(Person.objects.filter(pk__in={s.holder for s in found if s.holder and s.holder > 0})
                  .values_list("pk", "name"))
    ents = dict(Enterprise.objects.filter(pk__in={-s.holder for s in found if s.holder and s.holder < 0})
                .values_list("pk", "name"))
    labels = {engine.SIGNAL_PAIR: _("同一持券人与商户反复交易"), engine.SIGNAL_BUNCHED: _("临近到期集中核销"),
              engine.SIGNAL_SHARE: _("单一商户占比过高"), engine.SIGNAL_ROUND: _("整数金额反复出现")}
    out = []
    for s in found:
        holder_name = people.get(s.holder) if s.holder and s.holder > 0 else ents.get(-(s.holder or 0), "")
        out.append({"kind": s.kind, "label": labels[s.kind], "merchant_id": s.merchant,
                    "merchant": names.get(s.merchant, ""), "holder": holder_name or "", "count": s.count,
                    "score": round(s.score, 3), "detail": s.detail})
    return out


def signals_for(*, user) -> list[dict[str, Any]]:
    out = []
    for f in managed_funds(user=user).order_by("-year", "pk")[:20]:
        for s in fund_signals(fund=f):
            out.append({**s, "fund": f, "fund_id": f.pk})
    return out


def waiting_counts(*, user) -> dict[str, int]:
    managed = managed_funds(user=user).values("pk")
    return {
        "applications": Application.objects.filter(policy__funds__in=managed, status="submitted").distinct().count(),
        "enrolments": Enrolment.objects.filter(fund__in=managed, status=EnrolmentStatus.APPLIED).count(),
        "held": Redemption.objects.filter(fund__in=managed, status=R.HELD).count(),
    }


def per_policy_rows(user) -> dict[int, list[Fund]]:
    by: dict[int, list[Fund]] = defaultdict(list)
    for f in funds(user=user).order_by("-year"):
        by[f.policy_id].append(f)
    return by
