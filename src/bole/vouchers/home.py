"""人才券 on the home page (the `tiles` hook): the holder's vouchers and requests to confirm, the merchant's
counter, and for staff the applications, enrolments and held transactions waiting, and the signals to review."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from . import selectors
from .choices import RedemptionStatus, VoucherStatus
from .models import Redemption
from .permissions import policy
from .services import yuan


def mine(user) -> list[Section]:
    """我的人才券: live vouchers with their balance and end, and any merchant's request waiting for my confirmation."""
    if not policy.may(user, "apply"):
        return []
    today = timezone.localdate()
    lines = []
    held = selectors.my_vouchers(user=user)
    for r in (Redemption.objects.filter(voucher__in=held.values("pk"), status=RedemptionStatus.REQUESTED)
              .select_related("merchant__enterprise")[:3]):
        lines.append(Line(_("%(m)s 请求收款 %(a)s 元") % {"m": r.merchant, "a": yuan(r.amount_fen)},
                          reverse("vouchers-voucher", args=[r.voucher_id]), _("待确认"), "warn"))
    for v in held.filter(status=VoucherStatus.ACTIVE, valid_until__gte=today).order_by("valid_until")[:4]:
        soon = v.valid_until <= today + dt.timedelta(days=7)
        lines.append(Line(_("%(p)s 余额 %(b)s 元") % {"p": v.fund.policy.name, "b": yuan(v.balance_fen)},
                          reverse("vouchers-voucher", args=[v.pk]),
                          _("%(d)s 到期") % {"d": f"{v.valid_until:%Y-%m-%d}"}, "warn" if soon else ""))
    if policy.may(user, "merchant") and selectors.my_merchant(user=user):
        lines.append(Line(_("商户收银台"), reverse("vouchers-merchant"), _("扫码收款")))
    if not lines:
        return []
    return [Section(label=_("我的人才券"), items=lines, url=reverse("vouchers-home"), link=_("政策与人才券"))]


def waiting(user) -> list[dict]:
    if not policy.may(user, "manage"):
        return []
    w = selectors.waiting_counts(user=user)
    return [
        {"label": _("人才政策申请待审核"), "count": w["applications"],
         "url": reverse("vouchers-applications") + "?status=submitted"},
        {"label": _("商户入驻待审核"), "count": w["enrolments"], "url": reverse("vouchers-home")},
        {"label": _("人才券交易暂缓待复核"), "count": w["held"], "url": reverse("vouchers-transactions") + "?status=held"},
    ]


def alerts(user) -> list[dict]:
    if not policy.may(user, "manage"):
        return []
    return [{"label": _("人才券风险提示"), "count": len(selectors.signals_for(user=user)),
             "url": reverse("vouchers-transactions")}]
