"""Pages of talent policies and vouchers: the overview for each role, a policy with its eligibility check, applying
and reviewing, a fund's books, the holder's voucher with its QR, the merchant's phone page that redeems it, the
transactions under review, and the reports with their Excel file."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.params import choice_param, year_param
from bole.core.scoping import own_enterprise_id, own_person_id

from . import forms, panel, selectors, services
from .choices import ApplicationStatus, EnrolmentStatus, RedemptionStatus, VoucherKind
from .explain import criterion_text, explain, reasons_of
from .models import Application, Enrolment, Fund, Redemption, SupportPolicy, Voucher
from .permissions import policy

PAY_SALT = "bole.vouchers.pay"
PAY_MAX_AGE = 600  # a shown QR is good for ten minutes


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(request, form) -> None:
    """A form posted from a page that shows it elsewhere: its errors as messages."""
    for errs in form.errors.values():
        for e in errs:
            messages.error(request, e)


def pay_token(voucher: Voucher) -> str:
    """What the holder's QR carries: the voucher's code, signed and dated (the merchant's page checks both)."""
    return signing.dumps({"v": voucher.code}, salt=PAY_SALT, compress=True)


def voucher_of_token(token: str) -> Voucher:
    try:
        data = signing.loads(token, salt=PAY_SALT, max_age=PAY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("二维码已过期，请持券人刷新后重新出示")) from None
    except signing.BadSignature:
        raise Http404 from None
    v = Voucher.objects.select_related("fund__policy", "holder_person", "holder_enterprise").filter(
        code=str(data.get("v", ""))).first()
    if v is None:
        raise Http404
    return v


def _year(request) -> int:
    return year_param(request.GET, default=timezone.localdate().year)


@login_required
def home(request):
    """政策与人才券: staff see policies, funds and what waits; a holder their vouchers, applications and the
    policies open to them; a merchant a link to its counter."""
    user = request.user
    policy.require(user, "menu")
    manage = policy.may(user, "manage")
    pols = list(selectors.policies(user=user).filter(is_active=True))
    ctx = {"policies": pols, "manage": manage, "funds_by_policy": selectors.per_policy_rows(user),
           "can_apply": policy.may(user, "apply"), "merchant": selectors.my_merchant(user=user),
           "is_merchant": policy.may(user, "merchant"),
           "holder_kind": "person" if own_person_id(user) else ("enterprise" if own_enterprise_id(user) else "")}
    if manage:
        ctx["rows"] = selectors.fund_rows(user=user)
        ctx["waiting"] = selectors.waiting_counts(user=user)
    if ctx["can_apply"]:
        ctx["my_vouchers"] = list(selectors.my_vouchers(user=user).order_by("status", "valid_until")[:50])
        ctx["my_applications"] = list(selectors.my_applications(user=user).order_by("-submitted_at")[:20])
    return render(request, "vouchers/home.html", ctx)


@login_required
def policy_detail(request, pk):
    """A policy: its conditions in words, its amount rule, its funds, and (for a holder) whether they qualify."""
    pol = policy.get(SupportPolicy.objects.select_related("region"), request.user, pk)
    ctx = {"pol": pol, "criteria": [criterion_text(c) for c in pol.criteria],
           "funds": selectors.funds(user=request.user).filter(policy=pol), "can_apply": policy.may(request.user, "apply"),
           "manage": policy.may(request.user, "change", pol)}
    if ctx["can_apply"]:
        from bole.org.models import Enterprise, Person

        pid, eid = own_person_id(request.user), own_enterprise_id(request.user)
        holder = {"person": Person.objects.filter(pk=pid).select_related("unit__region").first() if pid else None,
                  "enterprise": Enterprise.objects.filter(pk=eid).select_related("region").first() if eid else None}
        if (pol.holder_kind == "person") == bool(holder["person"]):
            decision, _facts, amount = services.eligibility(policy_obj=pol, **holder)
            ctx.update({"decision": decision, "reasons": explain(decision.reasons), "amount": amount})
    if ctx["manage"]:
        ctx["fund_form"] = forms.FundForm(initial={"year": timezone.localdate().year})
    if ctx["manage"] and pol.panel_review:
        ctx["panels"] = panel.panels_of(pol)
        ctx["waiting"] = pol.applications.filter(status=ApplicationStatus.SUBMITTED, panel__isnull=True).count()
    return render(request, "vouchers/policy.html", ctx)


@login_required
@require_POST
def policy_panel(request, pk):
    """组成评审会: the policy's waiting applications before a new review panel (then seat judges on its page)."""
    pol = policy.get(SupportPolicy.objects.all(), request.user, pk)
    policy.require(request.user, "manage")
    policy.require(request.user, "change", pol)
    try:
        ev = panel.panel_create(policy_obj=pol, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("vouchers-policy", pk=pk)
    messages.success(request, _("已组成评审会，请设置评委并开始打分"))
    return redirect("evaluation-detail", ev.pk)


def _policy_form(request, instance):
    """The policy form with its criteria rows, bound on POST; initial rows from the instance's criteria."""
    initial = [{"fact": c["fact"], "op": c["op"],
                "value": "、".join(map(str, c["value"])) if isinstance(c.get("value"), list)
                else ("" if c.get("value") is None else str(c["value"]))}
               for c in (instance.criteria if instance and instance.pk else [])]
    if request.method == "POST":  # bound without initial: an unchanged row is still a row
        return forms.PolicyForm(request.POST, instance=instance), forms.CriteriaFormSet(request.POST, prefix="c")
    return forms.PolicyForm(instance=instance), forms.CriteriaFormSet(initial=initial or None, prefix="c")


def _policy_data(form, rows) -> dict | None:
    """The cleaned policy (criteria and formula included), or None with the errors put on the forms."""
    ok = form.is_valid() & rows.is_valid()
    criteria = []
    if rows.is_valid():
        for row in rows.forms:
            try:
                c = row.criterion()
            except ValidationError as exc:
                row.add_error("value", exc.messages)
                ok = False
                continue
            if c:
                criteria.append(c)
    formula = None
    if form.is_valid():
        try:
            formula = form.formula()
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field, errs)
            ok = False
    if not ok:
        return None
    data = {k: form.cleaned_data[k] for k in form.Meta.fields}
    data.update(criteria=criteria, formula=formula)
    return data


@login_required
def policy_create(request):
    """新建政策条款 in the staff user's county: fields, criteria rows, the amount rule."""
    policy.require(request.user, "manage")
    form, rows = _policy_form(request, None)
    if request.method == "POST" and (data := _policy_data(form, rows)) is not None:
        try:
            pol = services.support_policy_create(data={**data, "region": selectors.my_county(user=request.user)},
                                                 actor=request.user)
        except ValidationError as exc:
            _ve_to_form(form, exc, {})
        else:
            messages.success(request, _("已新建政策"))
            return redirect("vouchers-policy", pk=pol.pk)
    return render(request, "vouchers/policy_form.html", {"form": form, "rows": rows, "pol": None})


@login_required
def policy_edit(request, pk):
    """修改政策条款: the same form; decided applications keep the decision they were made on."""
    pol = policy.get(SupportPolicy.objects.select_related("region"), request.user, pk)
    policy.require(request.user, "manage")
    policy.require(request.user, "change", pol)
    form, rows = _policy_form(request, pol)
    if request.method == "POST" and (data := _policy_data(form, rows)) is not None:
        try:
            services.support_policy_update(policy_obj=pol, data=data, actor=request.user)
        except ValidationError as exc:
            _ve_to_form(form, exc, {})
        else:
            messages.success(request, _("已保存"))
            return redirect("vouchers-policy", pk=pol.pk)
    return render(request, "vouchers/policy_form.html", {"form": form, "rows": rows, "pol": pol})


@login_required
@require_POST
def policy_fund(request, pk):
    """新建资金池: a policy's fund for a year with its first budget."""
    pol = policy.get(SupportPolicy.objects.all(), request.user, pk)
    policy.require(request.user, "manage")
    policy.require(request.user, "change", pol)
    form = forms.FundForm(request.POST)
    if form.is_valid():
        try:
            fund = services.fund_create(policy_obj=pol, year=form.cleaned_data["year"],
                                        budget_fen=form.cleaned_data["budget"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已新建资金池"))
            return redirect("vouchers-fund", pk=fund.pk)
    else:
        _form_errors(request, form)
    return redirect("vouchers-policy", pk=pk)


@login_required
def apply(request, pk):
    """申请: the declared facts and documents; the engine's answer with its reasons on refusal."""
    pol = policy.get(SupportPolicy.objects.all(), request.user, pk)
    policy.require(request.user, "apply")
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_submit(policy_obj=pol, declared=form.declared(),
                                              documents=request.FILES.getlist("documents"), actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("申请已提交，测算金额 %(a)s 元") % {"a": services.yuan(app.requested_fen)})
            return redirect("vouchers-application", pk=app.pk)
    return render(request, "vouchers/apply.html", {"pol": pol, "form": form,
                                                   "criteria": [criterion_text(c) for c in pol.criteria]})


@login_required
def application_list(request):
    user = request.user
    policy.require(user, "menu")
    qs = selectors.applications(user=user)
    status = choice_param(request.GET, "status", ApplicationStatus.values)
    if status:
        qs = qs.filter(status=status)
    return render(request, "vouchers/applications.html", {
        "applications": qs[:200], "statuses": ApplicationStatus.choices, "status": status,
        "manage": policy.may(user, "manage")})


@login_required
def application_detail(request, pk):
    app = policy.get(Application.objects.select_related("policy", "applicant_person", "applicant_enterprise"),
                     request.user, pk)
    decide = policy.may(request.user, "decide", app)
    return render(request, "vouchers/application.html", {
        "app": app, "decide": decide, "reasons": explain(reasons_of(app.eligibility)),
        "documents": app.documents.all(), "voucher": Voucher.objects.filter(application=app).first(),
        "panel": panel.panel_state(app) if decide else {},
        "blocked": panel.approval_blocked(app) if decide and app.status == ApplicationStatus.SUBMITTED else None,
        "can_withdraw": policy.may(request.user, "withdraw", app) and app.status == ApplicationStatus.SUBMITTED})


@login_required
@require_POST
def application_transition(request, pk):
    app = policy.get(Application.objects.all(), request.user, pk)
    to = choice_param(request.POST, "to", ApplicationStatus.values)
    try:
        amount = forms.parse_yuan(request.POST["amount"], "amount") if request.POST.get("amount") else None
        services.application_transition(application=app, to=to, actor=request.user, approved_fen=amount,
                                        reason=request.POST.get("reason", "")[:500])
        messages.success(request, _("已处理"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("vouchers-application", pk=pk)


@login_required
def fund_detail(request, pk):
    """A fund's books: budget, issued, redeemed, settled, the reconciliation, entries, merchants, signals."""
    fund = policy.get(Fund.objects.select_related("policy"), request.user, pk)
    manage = policy.may(request.user, "change", fund)
    ctx = {"fund": fund, "manage": manage,
           "enrolments": sorted(selectors.enrolments(user=request.user).filter(fund=fund),
                                key=lambda e: (e.status != EnrolmentStatus.APPLIED, e.pk)) if manage else [],
           "can_enrol": policy.may(request.user, "merchant") and not Enrolment.objects.filter(
               fund=fund, merchant__enterprise_id=getattr(selectors.my_merchant(user=request.user), "enterprise_id",
                                                           None)).exists()}
    if manage:
        ctx.update({"rec": services.reconcile([fund])[0], "signals": selectors.fund_signals(fund=fund),
                    "entries": fund.entries.select_related("voucher").order_by("-at", "-id")[:30],
                    "topup_form": forms.TopupForm(), "issue_form": forms.IssueForm()})
    return render(request, "vouchers/fund.html", ctx)


@login_required
@require_POST
def fund_topup(request, pk):
    fund = policy.get(Fund.objects.all(), request.user, pk, "change")
    form = forms.TopupForm(request.POST)
    if form.is_valid():
        try:
            services.fund_topup(fund=fund, amount_fen=form.cleaned_data["amount"], note=form.cleaned_data["note"],
                                actor=request.user)
            messages.success(request, _("预算已追加"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("vouchers-fund", pk=pk)


@login_required
@require_POST
def fund_issue(request, pk):
    """发放人才消费券 to every eligible talent of the register who holds none of this fund yet."""
    fund = policy.get(Fund.objects.select_related("policy"), request.user, pk, "issue")
    form = forms.IssueForm(request.POST)
    if form.is_valid():
        try:
            n = services.fund_issue_eligible(fund=fund, value_fen=form.cleaned_data["amount"],
                                             valid_until=form.cleaned_data["valid_until"], actor=request.user)
            messages.success(request, _("已向 %(n)s 名符合条件的人才发券") % {"n": n})
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("vouchers-fund", pk=pk)


@login_required
@require_POST
def fund_enrol(request, pk):
    """A merchant applies to take this fund's vouchers."""
    fund = policy.get(Fund.objects.all(), request.user, pk)
    policy.require(request.user, "merchant")
    cats = list(fund.policy.categories)  # a merchant enrols for what the fund's vouchers may buy
    try:
        services.merchant_enrol(fund=fund, categories=cats, note=request.POST.get("note", "")[:300], actor=request.user)
        messages.success(request, _("入驻申请已提交"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("vouchers-merchant")


@login_required
@require_POST
def enrolment_decide(request, pk):
    e = policy.get(Enrolment.objects.all(), request.user, pk, "decide")
    to = choice_param(request.POST, "to", EnrolmentStatus.values)
    try:
        services.enrolment_decide(enrolment=e, to=to, note=request.POST.get("note", ""), actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("vouchers-fund", pk=e.fund_id)


def _my_voucher(request, pk) -> Voucher:
    v = selectors.my_vouchers(user=request.user).filter(pk=pk).first()
    if v is None:
        # staff may read any voucher in scope, without the QR
        return policy.get(Voucher.objects.select_related("fund__policy"), request.user, pk)
    return v


@login_required
def voucher_detail(request, pk):
    """The holder's voucher: balance, validity, a QR to show the merchant, and requests to confirm."""
    v = _my_voucher(request, pk)
    mine = policy.may(request.user, "use", v)
    ctx = {"v": v, "mine": mine, "requests": v.redemptions.filter(status=RedemptionStatus.REQUESTED)
           .select_related("merchant__enterprise"), "history": v.redemptions.exclude(
               status=RedemptionStatus.REQUESTED).select_related("merchant__enterprise")[:20],
           "children": v.children.all(), "why": services.voucher_payable(v, 1, timezone.localdate())}
    ctx["may_split"] = (v.holder_enterprise_id and v.kind == VoucherKind.BUDGET and v.balance_fen > 0
                        and not ctx["why"] and (mine or policy.may(request.user, "issue", v)))
    if mine and not ctx["why"]:
        import segno

        url = request.build_absolute_uri(reverse("vouchers-pay", args=[pay_token(v)]))
        ctx["qr"] = segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
        ctx["pay_url"] = url
    if request.headers.get("HX-Request"):
        return render(request, "vouchers/_requests.html", ctx)
    return render(request, "vouchers/voucher.html", ctx)


def _ve_to_form(form, exc: ValidationError, fields: dict[str, str]) -> None:
    """A service's refusal onto the form: its field errors on the form's fields (renamed by `fields`)."""
    if hasattr(exc, "error_dict"):
        for key, errs in exc.message_dict.items():
            name = fields.get(key, key)
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@login_required
def voucher_split(request, pk):
    """拆分子券: the holding enterprise (or county staff) gives part of a voucher's balance to a talent it employs;
    the child ends no later than the parent (the service refuses otherwise)."""
    v = _my_voucher(request, pk)
    if not (policy.may(request.user, "use", v) or policy.may(request.user, "issue", v)):
        raise PermissionDenied
    recipients = list(selectors.split_recipients(v))
    form = forms.SplitForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        from bole.org.models import Person  # noqa: PLC0415 - the register, read at call time

        person = Person.objects.get(pk=form.cleaned_data["recipient"])
        try:
            child = services.voucher_split(parent=v, value_fen=form.cleaned_data["amount"], person=person,
                                           valid_until=form.cleaned_data["valid_until"], actor=request.user)
        except ValidationError as exc:
            _ve_to_form(form, exc, {"value_fen": "amount"})
        else:
            messages.success(request, _("已拆出子券 %(code)s") % {"code": child.code})
            return redirect("vouchers-voucher", pk=v.pk)
    return render(request, "vouchers/split.html", {"v": v, "form": form, "recipients": recipients,
                                                   "why": services.voucher_payable(v, 1, timezone.localdate())})


@login_required
def pay(request, token):
    """The merchant's phone page, opened by scanning the holder's QR: the amount to take; the holder confirms."""
    policy.require(request.user, "merchant")
    merchant = selectors.my_merchant(user=request.user)
    if merchant is None:
        raise PermissionDenied
    try:
        v = voucher_of_token(token)
    except ValidationError as exc:
        return render(request, "vouchers/pay.html", {"expired": exc.messages[0]}, status=410)
    form = forms.PayForm(request.POST or None, initial={"key": secrets.token_hex(16)})
    if request.method == "POST" and form.is_valid():
        try:
            r = services.redemption_request(voucher=v, merchant=merchant, amount_fen=form.cleaned_data["amount"],
                                            key=form.cleaned_data["key"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("vouchers-redemption", pk=r.pk)
    holder = v.holder_person.name if v.holder_person_id else v.holder_enterprise.name
    return render(request, "vouchers/pay.html", {"v": v, "form": form, "holder": holder[:1] + "*" * (len(holder) - 1),
                                                 "why": services.voucher_payable(v, 1, timezone.localdate())})


@login_required
def merchant(request):
    """The merchant's counter: its funds (apply to one), a box for a voucher code, its recent transactions."""
    policy.require(request.user, "merchant")
    m = selectors.my_merchant(user=request.user)
    code = request.GET.get("code", "").strip().upper()[:24]
    if code:
        v = Voucher.objects.filter(code=code).first()
        if v is None:
            messages.error(request, _("未找到该券号"))
        else:
            return redirect("vouchers-pay", token=pay_token(v))
    enrolled = set(Enrolment.objects.filter(merchant=m).values_list("fund_id", flat=True)) if m else set()
    return render(request, "vouchers/merchant.html", {
        "m": m, "enrolments": Enrolment.objects.filter(merchant=m).select_related("fund__policy") if m else [],
        "open_funds": [f for f in selectors.funds(user=request.user).filter(policy__is_active=True,
                                                                            year=timezone.localdate().year)
                       if f.pk not in enrolled],
        "recent": selectors.redemptions(user=request.user).filter(merchant=m)[:30] if m else []})


@login_required
def redemption_detail(request, pk):
    r = selectors.redemptions(user=request.user).filter(pk=pk).first()
    if r is None:
        raise Http404
    holder = policy.may(request.user, "use", r.voucher)
    ctx = {"r": r, "holder": holder, "review": policy.may(request.user, "review", r),
           "is_merchant": selectors.my_merchant(user=request.user) == r.merchant}
    if request.headers.get("HX-Request"):
        return render(request, "vouchers/_redemption_status.html", ctx)
    return render(request, "vouchers/redemption.html", ctx)


@login_required
@require_POST
def redemption_answer(request, pk):
    """The holder confirms or declines a merchant's request."""
    r = selectors.redemptions(user=request.user).filter(pk=pk).first()
    if r is None:
        raise Http404
    try:
        if request.POST.get("answer") == "confirm":
            services.redemption_confirm(redemption=r, actor=request.user)
            messages.success(request, _("已确认支付 %(a)s 元") % {"a": services.yuan(r.amount_fen)})
        else:
            services.redemption_decline(redemption=r, actor=request.user)
            messages.success(request, _("已拒绝该笔核销"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("vouchers-voucher", pk=r.voucher_id)


@login_required
@require_POST
def redemption_review(request, pk):
    """Staff: hold for review, release, or reverse (冲正/追回) a transaction."""
    r = policy.get(Redemption.objects.all(), request.user, pk, "review")
    action = choice_param(request.POST, "action", ["hold", "release", "reverse"])
    note = request.POST.get("note", "")[:300]
    try:
        if action == "reverse":
            services.redemption_reverse(redemption=r, reason=note, actor=request.user)
        elif action in ("hold", "release"):
            services.redemption_hold(redemption=r, hold=action == "hold", note=note, actor=request.user)
        messages.success(request, _("已处理"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("vouchers-redemption", pk=pk)


@login_required
def transactions(request):
    """核销记录 under review: filters by status and fund, and the fraud signals of the funds in scope."""
    policy.require(request.user, "manage")
    qs = selectors.redemptions(user=request.user)
    status = choice_param(request.GET, "status", RedemptionStatus.values)
    if status:
        qs = qs.filter(status=status)
    from bole.core.params import id_param

    fund_id = id_param(request.GET, "fund")
    if fund_id:
        qs = qs.filter(fund_id=fund_id)
    merchant_id = id_param(request.GET, "merchant")
    if merchant_id:
        qs = qs.filter(merchant_id=merchant_id)
    return render(request, "vouchers/transactions.html", {
        "rows": qs[:200], "statuses": RedemptionStatus.choices, "status": status,
        "signals": selectors.signals_for(user=request.user)})


@login_required
def reports(request):
    """报表: budget use by policy and month, redemptions by merchant, liabilities outstanding."""
    policy.require(request.user, "manage")
    year = _year(request)
    return render(request, "vouchers/reports.html", {
        "year": year, "rows": selectors.fund_rows(user=request.user, year=year),
        "monthly": selectors.monthly(user=request.user, year=year),
        "merchants": selectors.by_merchant(user=request.user, year=year)[:100],
        "liab": selectors.liabilities(user=request.user)})


@login_required
def reports_export(request):
    """The finance office's workbook (资金使用情况表, 商户结算明细, 月度使用情况)."""
    policy.require(request.user, "manage")
    from .reports import workbook

    year = _year(request)
    data = workbook(user=request.user, year=year)
    from bole.core.audit import audit_record
    from bole.core.choices import AuditAction

    for f in selectors.managed_funds(user=request.user).filter(year=year)[:1]:
        audit_record(actor=request.user, action=AuditAction.EXPORT, obj=f, changes={"report": [None, year]})
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="vouchers-{year}.xlsx"'
    return resp
