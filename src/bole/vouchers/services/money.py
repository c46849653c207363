"""The money rule: funds, top-ups, issuing and splitting vouchers, redemption, settlement, reversal, expiry.

For every fund 0 ≤ settled ≤ redeemed ≤ issued ≤ budget at every moment. Each write below moves a fund's counters
with one conditional UPDATE inside the transaction that writes the matching append-only `FundEntry`; the CHECK
constraints on the fund refuse any statement that would break the rule, whatever the concurrency, and the UPDATE
holds the fund's row lock until commit. Rows are locked in one order everywhere — redemption, then voucher, then
fund — so concurrent writers queue rather than deadlock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.cases.calendar import work_calendar
from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.notices import Notice, notify
from bole.core.params import year_problem

from ..choices import EntryKind, RedemptionStatus, VoucherKind, VoucherStatus
from ..models import Enrolment, Fund, FundEntry, Merchant, Redemption, Voucher
from ..permissions import policy

R = RedemptionStatus
LIVE_SPENT = (R.PENDING, R.HELD, R.SETTLED)  # redemptions whose amount counts as redeemed


def yuan(fen: int) -> str:
    """Fen as 元 with two decimals (12345 → "123.45")."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def _today(on: dt.date | None = None) -> dt.date:
    return on or timezone.localdate()


def _require(actor, action: str, obj=None) -> None:
    if actor is not None:
        policy.require(actor, action, obj)


def _entry(fund_id: int, kind: str, amount: int, *, actor=None, voucher_id=None, redemption_id=None,
           note: str = "") -> FundEntry:
    return FundEntry(fund_id=fund_id, kind=kind, amount_fen=amount, voucher_id=voucher_id,
                     redemption_id=redemption_id, note=note[:300], actor=actor if getattr(actor, "pk", None) else None)


def _move(fund_id: int, message: str, **deltas: int) -> None:
    """Add `deltas` to the fund's counters in one UPDATE; a CHECK refusal becomes `message` (the transaction is
    left usable: the UPDATE runs in a savepoint)."""
    try:
        with transaction.atomic():
            Fund.objects.filter(pk=fund_id).update(**{k: F(k) + v for k, v in deltas.items()})
    except IntegrityError as exc:
        raise ValidationError(message) from exc


# --- funds ---------------------------------------------------------------------------------------------------


@transaction.atomic
def fund_create(*, policy_obj, year: int, budget_fen: int, actor) -> Fund:
    """A policy's fund for one year with its first budget (a BUDGET entry)."""
    _require(actor, "manage")
    _require(actor, "change", policy_obj)
    if budget_fen < 0:
        raise ValidationError({"budget_fen": _("预算不能为负数")})
    if why := year_problem(year):
        raise ValidationError({"year": why})
    if Fund.objects.filter(policy=policy_obj, year=year).exists():
        raise ValidationError({"year": _("该政策%(year)s年度的资金池已存在") % {"year": year}})
    fund = Fund.objects.create(policy=policy_obj, year=year)
    if budget_fen:
        _move(fund.pk, "", budget_fen=budget_fen)
        _entry(fund.pk, EntryKind.BUDGET, budget_fen, actor=actor, note=_("年度预算")).save()
    fund.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=fund, changes={"budget_fen": [None, budget_fen]})
    return fund


@transaction.atomic
def fund_topup(*, fund: Fund, amount_fen: int, note: str = "", actor) -> Fund:
    """追加预算: raise a fund's budget (a TOPUP entry)."""
    _require(actor, "manage")
    _require(actor, "change", fund)
    if amount_fen <= 0:
        raise ValidationError({"amount_fen": _("追加金额须大于零")})
    _move(fund.pk, "", budget_fen=amount_fen)
    _entry(fund.pk, EntryKind.TOPUP, amount_fen, actor=actor, note=note or _("追加预算")).save()
    fund.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fund, changes={"topup_fen": [None, amount_fen]})
    return fund


# --- vouchers ------------------------------------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_hex(8).upper()


def _check_dates(fund: Fund, valid_from: dt.date, valid_until: dt.date) -> None:
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("有效期至不能早于生效日期")})


@transaction.atomic
def vouchers_issue(*, fund: Fund, holders: Sequence[tuple[int | None, int | None]], value_fen: int,
                   valid_from: dt.date, valid_until: dt.date, categories: Iterable[str] | None = None,
                   merchant_ids: Iterable[int] = (), kind: str = VoucherKind.BUDGET, application=None, actor,
                   audit: bool = True) -> list[Voucher]:
    """发券: vouchers of `value_fen` each to (person_id, enterprise_id) holders, all or none: refused when the
    fund's budget left is less than the total (the CHECK issued ≤ budget holds it under any concurrency)."""
    _require(actor, "manage")
    _require(actor, "issue", fund)
    if value_fen <= 0:
        raise ValidationError({"value_fen": _("面额须大于零")})
    if not holders:
        return []
    _check_dates(fund, valid_from, valid_until)
    total = value_fen * len(holders)
    _move(fund.pk, _("资金池可用额度不足：本次需 %(need)s 元") % {"need": yuan(total)}, issued_fen=total)
    cats = list(categories if categories is not None else fund.policy.categories)
    made = Voucher.objects.bulk_create([
        Voucher(fund=fund, holder_person_id=p, holder_enterprise_id=e, kind=kind, code=_new_code(),
                value_fen=value_fen, balance_fen=value_fen, valid_from=valid_from, valid_until=valid_until,
                categories=cats, application=application)
        for p, e in holders], batch_size=2000)
    if made and made[0].pk is None:  # backends that return no ids from a bulk insert
        made = list(Voucher.objects.filter(code__in=[v.code for v in made]))
    merchant_ids = list(merchant_ids)
    if merchant_ids:
        through = Voucher.merchants.through
        through.objects.bulk_create([through(voucher_id=v.pk, merchant_id=m) for v in made for m in merchant_ids],
                                    batch_size=2000)
    FundEntry.objects.bulk_create([_entry(fund.pk, EntryKind.ISSUE, value_fen, actor=actor, voucher_id=v.pk)
                                   for v in made], batch_size=2000)
    if audit:
        audit_bulk([audit_build(actor=actor, action=AuditAction.CREATE, obj=v,
                                changes={"value_fen": [None, value_fen], "valid_until": [None, str(valid_until)]})
                    for v in made])
    return made


def voucher_issue(*, fund: Fund, person=None, enterprise=None, value_fen: int, valid_from: dt.date,
                  valid_until: dt.date, **kw) -> Voucher:
    """One voucher to a person or an enterprise."""
    if (person is None) == (enterprise is None):
        raise ValidationError(_("持券人须为一名人员或一家企业"))
    return vouchers_issue(fund=fund, holders=[(getattr(person, "pk", None), getattr(enterprise, "pk", None))],
                          value_fen=value_fen, valid_from=valid_from, valid_until=valid_until, **kw)[0]


def _ancestors_live(voucher: Voucher, day: dt.date) -> str | None:
    """Why a voucher cannot pay today because of itself or a parent (None when it can): a child never outlives
    its parent, so an expired or cancelled parent stops the child too."""
    v = voucher
    while v is not None:
        if v.status in (VoucherStatus.CANCELLED, VoucherStatus.EXPIRED) or day > v.valid_until:
            return _("人才券已过期") if v.status != VoucherStatus.CANCELLED else _("人才券已作废")
        if day < v.valid_from:
            return _("人才券尚未生效")
        v = v.parent
    return None


@transaction.atomic
def voucher_split(*, parent: Voucher, value_fen: int, person=None, enterprise=None, valid_until: dt.date | None,
                  actor) -> Voucher:
    """拆分子券: carve a child voucher out of a parent's balance (an enterprise handing part of its 创新券 to a
    team member); the child ends no later than the parent. No fund counter moves: a SPLIT entry records it."""
    parent = Voucher.objects.select_for_update().get(pk=parent.pk)
    if actor is not None and not (policy.may(actor, "use", parent) or policy.may(actor, "issue", parent)):
        raise PermissionDenied
    if (person is None) == (enterprise is None):
        raise ValidationError(_("持券人须为一名人员或一家企业"))
    today = _today()
    why = _ancestors_live(parent, today)
    if why:
        raise ValidationError(why)
    if parent.kind != VoucherKind.BUDGET:
        raise ValidationError(_("次券不能拆分"))
    if value_fen <= 0 or value_fen > parent.balance_fen:
        raise ValidationError({"value_fen": _("子券面额须大于零且不超过母券余额 %(b)s 元") % {"b": yuan(parent.balance_fen)}})
    until = valid_until or parent.valid_until
    if until > parent.valid_until:
        raise ValidationError({"valid_until": _("子券有效期不能晚于母券（%(d)s）") % {"d": parent.valid_until}})
    Voucher.objects.filter(pk=parent.pk).update(balance_fen=F("balance_fen") - value_fen,
                                                split_fen=F("split_fen") + value_fen)
    child = Voucher.objects.create(
        fund_id=parent.fund_id, parent=parent, holder_person=person, holder_enterprise=enterprise, kind=parent.kind,
        code=_new_code(), value_fen=value_fen, balance_fen=value_fen, valid_from=max(today, parent.valid_from),
        valid_until=until, categories=parent.categories)
    child.merchants.set(parent.merchants.all())
    if parent.balance_fen == value_fen:
        Voucher.objects.filter(pk=parent.pk).update(status=VoucherStatus.SPENT)
    _entry(parent.fund_id, EntryKind.SPLIT, value_fen, actor=actor, voucher_id=child.pk,
           note=_("由 %(code)s 拆出") % {"code": parent.code}).save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=child,
                 changes={"parent_code": [None, parent.code], "value_fen": [None, value_fen]})
    return child


def _release(vouchers: list[Voucher], status: str, actor, note: str) -> int:
    """Give the balances of locked vouchers back to their funds (RELEASE entries) and set their status."""
    per_fund: dict[int, int] = defaultdict(int)
    entries = []
    for v in vouchers:
        if v.balance_fen:
            per_fund[v.fund_id] += v.balance_fen
            entries.append(_entry(v.fund_id, EntryKind.RELEASE, v.balance_fen, actor=actor, voucher_id=v.pk,
                                  note=note))
    ids = [v.pk for v in vouchers]
    Voucher.objects.filter(pk__in=ids).update(released_fen=F("released_fen") + F("balance_fen"), balance_fen=0,
                                              status=status)
    for fund_id in sorted(per_fund):
        _move(fund_id, "", issued_fen=-per_fund[fund_id])
    FundEntry.objects.bulk_create(entries, batch_size=2000)
    return sum(per_fund.values())


def _lapse_requests() -> int:
    """Requests the holders had not confirmed lapse with their voucher (a separate statement after the vouchers'
    transaction: taking redemption rows while holding voucher rows would invert the lock order)."""
    return Redemption.objects.filter(status=R.REQUESTED, voucher__status__in=[VoucherStatus.EXPIRED,
                                                                              VoucherStatus.CANCELLED]
                                     ).update(status=R.DECLINED)


def _descendants(ids: list[int]) -> list[int]:
    out, frontier = [], ids
    while frontier:
        frontier = list(Voucher.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        out += frontier
    return out


@transaction.atomic
def voucher_cancel(*, voucher: Voucher, reason: str, actor) -> Voucher:
    """作废: stop a voucher and its children; their balances go back to the fund (what was spent stays spent)."""
    _require(actor, "issue", voucher)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写作废原因")})
    ids = [voucher.pk, *_descendants([voucher.pk])]
    locked = list(Voucher.objects.select_for_update().filter(pk__in=ids, status__in=[VoucherStatus.ACTIVE,
                                                                                     VoucherStatus.SPENT])
                  .order_by("pk"))
    _release(locked, VoucherStatus.CANCELLED, actor, reason)
    transaction.on_commit(_lapse_requests)
    voucher.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=voucher,
                 changes={"status": ["active", "cancelled"], "reason": [None, reason], "child_count": [None, len(ids) - 1]})
    return voucher


def vouchers_expire(*, today: dt.date | None = None) -> int:
    """The periodic sweep: vouchers past their last day expire and give their balances back (idempotent)."""
    day = _today(today)
    n = 0
    while True:
        with transaction.atomic():
            batch = list(Voucher.objects.select_for_update(skip_locked=True)
                         .filter(status=VoucherStatus.ACTIVE, valid_until__lt=day).order_by("pk")[:2000])
            if not batch:
                _lapse_requests()
                return n
            _release(batch, VoucherStatus.EXPIRED, None, _("过期退回"))
            n += len(batch)


def vouchers_notify_expiring(*, today: dt.date | None = None, days: int = 7) -> int:
    """即将到期提醒: a notice to each holder's login for active vouchers with a balance ending within `days`."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - the user model is resolved at call time

    day = _today(today)
    due = list(Voucher.objects.filter(status=VoucherStatus.ACTIVE, expiring_notified=False, balance_fen__gt=0,
                                      valid_until__gte=day, valid_until__lte=day + dt.timedelta(days=days))
               .values("pk", "code", "holder_person_id", "holder_enterprise_id", "valid_until", "balance_fen"))
    if not due:
        return 0
    users = get_user_model().objects.filter(account__isnull=False)
    by_person = dict(users.filter(account__person_id__in={d["holder_person_id"] for d in due})
                     .values_list("account__person_id", "pk"))
    by_ent = dict(users.filter(account__enterprise_id__in={d["holder_enterprise_id"] for d in due})
                  .values_list("account__enterprise_id", "pk"))
    notices = []
    for d in due:
        uid = by_person.get(d["holder_person_id"]) or by_ent.get(d["holder_enterprise_id"])
        if uid:
            notices.append(Notice(recipient_id=uid, object_type="vouchers.voucher", object_id=str(d["pk"]),
                                  event="expiring",
                                  text=_("您的人才券 %(code)s 余额 %(b)s 元将于 %(d)s 到期") % {
                                      "code": d["code"], "b": yuan(d["balance_fen"]), "d": d["valid_until"]},
                                  link=f"/vouchers/v/{d['pk']}/"))
    notify(notices)
    Voucher.objects.filter(pk__in=[d["pk"] for d in due]).update(expiring_notified=True)
    return len(notices)


# --- redemption ----------------------------------------------------------------------------------------------


def _merchant_may_take(voucher: Voucher, merchant: Merchant) -> str | None:
    if not Enrolment.objects.filter(merchant=merchant, fund_id=voucher.fund_id, status="approved").exists():
        return _("本商户未入驻该资金池，不能核销此券")
    allowed = list(voucher.merchants.values_list("pk", flat=True))
    if allowed and merchant.pk not in allowed:
        return _("此券只能在指定商户使用")
    if voucher.categories and not set(voucher.categories) & set(merchant.categories or []):
        return _("本商户的经营范围不在此券可用范围内")
    return None


def voucher_payable(voucher: Voucher, amount_fen: int, day: dt.date) -> str | None:
    """Why the voucher cannot pay `amount_fen` today (None when it can)."""
    why = _ancestors_live(voucher, day)
    if why:
        return why
    if voucher.status != VoucherStatus.ACTIVE or voucher.balance_fen <= 0:
        return _("人才券余额已用完")
    if amount_fen <= 0:
        return _("金额须大于零")
    if amount_fen > voucher.balance_fen:
        return _("金额超过余额 %(b)s 元") % {"b": yuan(voucher.balance_fen)}
    if voucher.kind == VoucherKind.PRODUCT and amount_fen != voucher.balance_fen:
        return _("次券须一次用完全部 %(b)s 元") % {"b": yuan(voucher.balance_fen)}
    return None


@transaction.atomic
def redemption_request(*, voucher: Voucher, merchant: Merchant, amount_fen: int, key: str | None = None,
                       note: str = "", actor) -> Redemption:
    """商户发起核销: the merchant asks for an amount; nothing is spent until the holder confirms. The same `key`
    twice returns the first request (a retried form or a double tap never makes two)."""
    if actor is not None:
        policy.require(actor, "merchant")
        if not policy.may(actor, "change", merchant):
            raise PermissionDenied
    key = key or secrets.token_hex(16)
    existing = Redemption.objects.filter(key=key).first()
    if existing is not None:
        if existing.merchant_id != merchant.pk:
            raise ValidationError(_("重复的核销请求"))
        return existing
    why = voucher_payable(voucher, amount_fen, _today()) or _merchant_may_take(voucher, merchant)
    if why:
        raise ValidationError({"amount_fen": why})
    try:
        with transaction.atomic():
            r = Redemption.objects.create(voucher=voucher, fund_id=voucher.fund_id, merchant=merchant,
                                          amount_fen=amount_fen, key=key, note=note[:300])
    except IntegrityError:
        return Redemption.objects.get(key=key, merchant=merchant)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=r, changes={"amount_fen": [None, amount_fen]})
    return r


def _holder_may(actor, voucher: Voucher) -> bool:
    """Only the holder answers a request: staff may review transactions but never confirm one for a holder."""
    return actor is None or (policy.may(actor, "apply") and policy.may(actor, "use", voucher))


@transaction.atomic
def redemption_confirm(*, redemption: Redemption, actor, today: dt.date | None = None) -> Redemption:
    """持券人确认: the money moves — the voucher's balance down, the fund's redeemed up (a REDEEM entry), the
    transaction pending until its settlement day (the policy's N working days on the working calendar)."""
    day = _today(today)
    r = Redemption.objects.select_for_update().get(pk=redemption.pk)
    voucher = Voucher.objects.select_for_update().select_related("fund__policy").get(pk=r.voucher_id)
    if not _holder_may(actor, voucher):
        raise PermissionDenied
    if r.status != R.REQUESTED:
        if r.status == R.PENDING:
            raise ValidationError(_("该笔核销已确认，不能重复确认"))
        raise ValidationError(_("该笔核销已不能确认（%(s)s）") % {"s": r.get_status_display()})
    why = voucher_payable(voucher, r.amount_fen, day)
    if why:
        raise ValidationError(why)
    left = voucher.balance_fen - r.amount_fen
    Voucher.objects.filter(pk=voucher.pk).update(
        balance_fen=F("balance_fen") - r.amount_fen, spent_fen=F("spent_fen") + r.amount_fen,
        status=VoucherStatus.SPENT if left == 0 else VoucherStatus.ACTIVE)
    _move(voucher.fund_id, _("资金池已核销金额不能超过已发放金额"), redeemed_fen=r.amount_fen)
    settle_on = work_calendar().add_workdays(day, voucher.fund.policy.settle_days)
    now = timezone.now()
    Redemption.objects.filter(pk=r.pk).update(status=R.PENDING, confirmed_at=now, settle_on=settle_on)
    _entry(voucher.fund_id, EntryKind.REDEEM, r.amount_fen, actor=actor, voucher_id=voucher.pk,
           redemption_id=r.pk).save()
    r.status, r.confirmed_at, r.settle_on = R.PENDING, now, settle_on
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=r, changes={"status": ["requested", "pending"]})
    return r


@transaction.atomic
def redemption_decline(*, redemption: Redemption, actor) -> Redemption:
    """持券人拒绝: a request the holder does not recognise is closed; nothing was spent."""
    r = Redemption.objects.select_for_update().select_related("voucher").get(pk=redemption.pk)
    if not _holder_may(actor, r.voucher):
        raise PermissionDenied
    if r.status != R.REQUESTED:
        raise ValidationError(_("该笔核销已不能拒绝"))
    Redemption.objects.filter(pk=r.pk).update(status=R.DECLINED)
    r.status = R.DECLINED
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=r, changes={"status": ["requested", "declined"]})
    return r


@transaction.atomic
def redemption_hold(*, redemption: Redemption, hold: bool, note: str, actor) -> Redemption:
    """暂缓结算 / 解除暂缓: staff hold a pending transaction for review (never an automatic punishment)."""
    _require(actor, "review", redemption)
    r = Redemption.objects.select_for_update().get(pk=redemption.pk)
    src, dst = (R.PENDING, R.HELD) if hold else (R.HELD, R.PENDING)
    if r.status != src:
        raise ValidationError(_("只有“%(s)s”的核销可以这样处理") % {"s": R(src).label})
    if hold and not note.strip():
        raise ValidationError({"note": _("请填写复核原因")})
    Redemption.objects.filter(pk=r.pk).update(status=dst, review_note=note[:300])
    r.status, r.review_note = dst, note
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=r, changes={"status": [src, dst], "note": [None, note]})
    return r


@transaction.atomic
def redemption_reverse(*, redemption: Redemption, reason: str, actor, today: dt.date | None = None) -> Redemption:
    """冲正 / 追回: undo a confirmed transaction with new entries — REVERSE (redeemed down) and, when it was
    already settled, CLAWBACK (settled down). The amount goes back to the voucher while it can still pay,
    otherwise back to the fund (RELEASE)."""
    _require(actor, "review", redemption)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写冲正原因")})
    day = _today(today)
    r = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if r.status not in LIVE_SPENT:
        raise ValidationError(_("该笔核销不能冲正（%(s)s）") % {"s": r.get_status_display()})
    voucher = Voucher.objects.select_for_update().get(pk=r.voucher_id)
    was_settled = r.status == R.SETTLED
    can_pay = _ancestors_live(voucher, day) is None and voucher.status in (VoucherStatus.ACTIVE, VoucherStatus.SPENT)
    amt = r.amount_fen
    if can_pay:
        Voucher.objects.filter(pk=voucher.pk).update(spent_fen=F("spent_fen") - amt, balance_fen=F("balance_fen") + amt,
                                                     status=VoucherStatus.ACTIVE)
    else:
        Voucher.objects.filter(pk=voucher.pk).update(spent_fen=F("spent_fen") - amt,
                                                     released_fen=F("released_fen") + amt)
    deltas = {"redeemed_fen": -amt}
    entries = [_entry(r.fund_id, EntryKind.REVERSE, amt, actor=actor, voucher_id=voucher.pk, redemption_id=r.pk,
                      note=reason)]
    if was_settled:
        deltas["settled_fen"] = -amt
        entries.append(_entry(r.fund_id, EntryKind.CLAWBACK, amt, actor=actor, voucher_id=voucher.pk,
                              redemption_id=r.pk, note=reason))
    if not can_pay:
        deltas["issued_fen"] = -amt
        entries.append(_entry(r.fund_id, EntryKind.RELEASE, amt, actor=actor, voucher_id=voucher.pk,
                              redemption_id=r.pk, note=reason))
    # settled first (it must stay ≤ redeemed), then redeemed, then issued: one UPDATE moves them together.
    _move(r.fund_id, _("冲正金额与资金池不符"), **deltas)
    FundEntry.objects.bulk_create(entries)
    dst = R.REVERSED if was_settled else R.CANCELLED
    Redemption.objects.filter(pk=r.pk).update(status=dst, review_note=reason[:300])
    old, r.status = r.status, dst
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=r,
                 changes={"status": [old, dst], "reason": [None, reason]})
    return r


def redemptions_settle(*, today: dt.date | None = None, fund: Fund | None = None, actor=None) -> int:
    """结算: pending transactions whose settlement day has come are settled (SETTLE entries); held ones wait.
    Idempotent: the periodic job and a manual run may overlap (rows are taken with SKIP LOCKED)."""
    day = _today(today)
    n = 0
    while True:
        with transaction.atomic():
            qs = Redemption.objects.select_for_update(skip_locked=True).filter(status=R.PENDING, settle_on__lte=day)
            if fund is not None:
                qs = qs.filter(fund=fund)
            batch = list(qs.order_by("pk").values_list("pk", "fund_id", "amount_fen", "voucher_id")[:2000])
            if not batch:
                return n
            per_fund: dict[int, int] = defaultdict(int)
            for _pk, fid, amt, _v in batch:
                per_fund[fid] += amt
            now = timezone.now()
            Redemption.objects.filter(pk__in=[b[0] for b in batch]).update(status=R.SETTLED, settled_at=now)
            for fid in sorted(per_fund):
                _move(fid, "", settled_fen=per_fund[fid])
            FundEntry.objects.bulk_create([_entry(fid, EntryKind.SETTLE, amt, actor=actor, voucher_id=v,
                                                  redemption_id=pk) for pk, fid, amt, v in batch], batch_size=2000)
            n += len(batch)


# --- reconciliation ------------------------------------------------------------------------------------------

# How each entry kind moves each counter.
_SIGNS = {
    "budget_fen": {EntryKind.BUDGET: 1, EntryKind.TOPUP: 1},
    "issued_fen": {EntryKind.ISSUE: 1, EntryKind.RELEASE: -1},
    "redeemed_fen": {EntryKind.REDEEM: 1, EntryKind.REVERSE: -1},
    "settled_fen": {EntryKind.SETTLE: 1, EntryKind.CLAWBACK: -1},
}


def reconcile(funds: Iterable[Fund] | None = None) -> list[dict]:
    """对账: for each fund, every counter against the sum of its entries, the outstanding (issued − redeemed)
    against the vouchers' balances, redeemed against the live transactions and settled against the settled
    ones — each difference in fen (all zero when the books agree to the cent)."""
    funds = list(funds if funds is not None else Fund.objects.all())
    ids = [f.pk for f in funds]
    sums: dict[tuple[int, str], int] = {(r["fund_id"], r["kind"]): r["s"] for r in FundEntry.objects.filter(
        fund_id__in=ids).values("fund_id", "kind").annotate(s=Sum("amount_fen"))}
    balances = dict(Voucher.objects.filter(fund_id__in=ids).values("fund_id").annotate(s=Sum("balance_fen"))
                    .values_list("fund_id", "s"))
    live = dict(Redemption.objects.filter(fund_id__in=ids, status__in=LIVE_SPENT).values("fund_id")
                .annotate(s=Sum("amount_fen")).values_list("fund_id", "s"))
    settled = dict(Redemption.objects.filter(fund_id__in=ids, status=R.SETTLED).values("fund_id")
                   .annotate(s=Sum("amount_fen")).values_list("fund_id", "s"))
    out = []
    for f in funds:
        checks = {}
        for counter, signs in _SIGNS.items():
            from_entries = sum(sign * sums.get((f.pk, k), 0) for k, sign in signs.items())
            checks[counter] = getattr(f, counter) - from_entries
        checks["outstanding_vs_balances"] = (f.issued_fen - f.redeemed_fen) - (balances.get(f.pk) or 0)
        checks["redeemed_vs_transactions"] = f.redeemed_fen - (live.get(f.pk) or 0)
        checks["settled_vs_transactions"] = f.settled_fen - (settled.get(f.pk) or 0)
        rule = 0 <= f.settled_fen <= f.redeemed_fen <= f.issued_fen <= f.budget_fen
        out.append({"fund": f, "fund_id": f.pk, "checks": checks, "rule_holds": rule,
                    "balanced": rule and not any(checks.values())})
    return out
