"""Demo of 吴兴区's 青创工场八条: 创新券 (第三条) and 研发设备补贴 (第四条) for enterprises, 人才消费券 for young
talents — a year of applications, vouchers and redemptions at approved merchants and providers.

The year's history is simulated in memory under the same rules the services keep (budget, balances, validity,
settlement on the working calendar, expiry, one clawback) and written in bulk; the books are then reconciled and
the seed refuses to finish unless every fund balances to the fen. Today's live flows go through the services: an
application waiting for review and a merchant's request waiting for the demo talent's confirmation."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db import transaction
from django.utils import timezone

from bole.cases.calendar import work_calendar
from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.engines import vouchers as engine
from bole.org.models import Enterprise, Person, Region
from bole.org.services import account_create

from . import services
from .choices import EntryKind, RedemptionStatus, VoucherStatus
from .models import Application, Enrolment, Fund, FundEntry, Merchant, Redemption, SupportPolicy, Voucher

WUXING = "330502"
R = RedemptionStatus


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _policies(region: Region, year: int) -> dict[str, SupportPolicy]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    common = {"region": region, "document": "青创工场八条", "valid_from": start, "valid_until": end}
    specs = {
        "innovation": {
            "name": "创新券", "article": "第三条", "kind": "innovation", "holder_kind": "enterprise",
            "description": "支持中小微企业向高校院所和科技服务机构购买研发、检验检测、技术开发服务，按服务合同金额的50%给予创新券，单家企业每年最高20万元。",
            "criteria": [{"fact": "region", "op": "prefix", "value": [WUXING]},
                         {"fact": "enterprise_size", "op": "in", "value": ["medium", "small", "micro"]},
                         {"fact": "industry", "op": "in", "value": ["C", "I", "M"]}],
            "formula": {"kind": "share", "base": "service_cost", "share": "0.5", "cap": 20_000_000},
            "categories": ["rd_service"], "validity_days": 365, "settle_days": 10},
        "equipment": {
            "name": "研发设备补贴", "article": "第四条", "kind": "equipment", "holder_kind": "enterprise",
            "description": "企业购置用于研发的仪器设备，按购置金额的30%给予补贴券，在入驻的设备供应商处使用，单家企业每年最高100万元。",
            "criteria": [{"fact": "region", "op": "prefix", "value": [WUXING]},
                         {"fact": "enterprise_size", "op": "ne", "value": "large"},
                         {"fact": "industry", "op": "in", "value": ["C", "M"]}],
            "formula": {"kind": "share", "base": "equipment_cost", "share": "0.3", "cap": 100_000_000},
            "categories": ["equipment"], "validity_days": 365, "settle_days": 10},
        "consumption": {
            "name": "人才消费券", "article": "第八条", "kind": "consumption", "holder_kind": "person",
            "description": "向35周岁以下在册青年人才发放消费券，在区内入驻商户餐饮、文体、生活服务和住宿消费时抵用，可分次使用。",
            "criteria": [{"fact": "is_talent", "op": "true", "value": True},
                         {"fact": "age", "op": "lte", "value": 35},
                         {"fact": "region", "op": "prefix", "value": [WUXING]}],
            "formula": {"kind": "fixed", "amount": 100_000}, "needs_application": False,
            "categories": ["dining", "culture", "living", "housing"], "validity_days": 120, "settle_days": 5},
    }
    out = {}
    for key, spec in specs.items():
        existing = SupportPolicy.objects.filter(region=region, name=spec["name"]).first()
        out[key] = existing or services.support_policy_create(actor=None, data={**common, **spec})
    return out


class _Book:
    """A fund's year in memory: counters and entries kept as the services keep them."""

    def __init__(self, fund: Fund):
        self.fund = fund
        self.budget = self.issued = self.redeemed = self.settled = 0
        self.entries: list[FundEntry] = []

    def entry(self, kind, amount, at, *, voucher=None, redemption=None, note=""):
        self.entries.append(FundEntry(fund=self.fund, kind=kind, amount_fen=amount, at=at, voucher=voucher,
                                      redemption=redemption, note=note))


def _eligible_people(day: dt.date, limit: int) -> list[Person]:
    """Young talents of 吴兴区: from the talent register when it has them, else people flagged as talents."""
    from bole.talent.models import Talent  # noqa: PLC0415 - the register the talent app seeds first

    ids = list(Talent.objects.filter(status="active", person__isnull=False, region_code__startswith=WUXING)
               .values_list("person_id", flat=True)[:limit * 3])
    qs = Person.objects.filter(pk__in=ids) if ids else Person.objects.filter(
        unit__region__code__startswith=WUXING, is_active=True, is_talent=True)
    cutoff = dt.date(day.year - 35, day.month, min(day.day, 28))
    return list(qs.filter(birth_date__gt=cutoff).order_by("id")[:limit])


def seed(*, scale: int = 1, seed: int = 2024, actor, password: str, county: str | None = None) -> dict[str, int]:
    """Deterministic for a seed; idempotent (a second run only counts)."""
    region = Region.objects.filter(code=county or WUXING).first() or Region.objects.filter(level="county").order_by(
        "code").first()
    if region is None:
        return {}
    if Fund.objects.filter(policy__region=region).exists():
        return _counts()
    rng = random.Random(seed + 1818)
    today = timezone.localdate()
    year = today.year
    cal = work_calendar()
    with transaction.atomic():
        pols = _policies(region, year)
        books = {k: _Book(Fund.objects.create(policy=p, year=year)) for k, p in pols.items()}
        budgets = {"innovation": 500_000_000, "equipment": 800_000_000, "consumption": 150_000_000 * scale}
        jan2 = _at(dt.date(year, 1, 2), 9)
        for k, b in books.items():
            b.budget = budgets[k]
            b.entry(EntryKind.BUDGET, budgets[k], jan2, note="年度预算")
        # Merchants and providers of the district, enrolled in the funds they serve.
        ents = list(Enterprise.objects.filter(region__code__startswith=region.code, is_active=True)
                    .select_related("region").order_by("id"))
        shops = [e for e in ents if e.industry in ("H", "R", "F", "L")][:40 * scale]
        providers = [e for e in ents if e.industry in ("M", "I")][:12]
        vendors = [e for e in ents if e.industry == "C"][-8:]
        applicants = [e for e in ents if e.industry in ("C", "I", "M") and e not in vendors and e not in providers]
        merchants = {}
        for group, cats, kind in ((shops, ["dining", "culture", "living", "housing"], "shop"),
                                  (providers, ["rd_service"], "provider"), (vendors, ["equipment"], "provider")):
            for e in group:
                merchants[e.pk] = Merchant(enterprise=e, kind=kind, categories=[rng.choice(cats)] if kind == "shop"
                                           else cats)
        Merchant.objects.bulk_create(merchants.values())
        merchants = {m.enterprise_id: m for m in Merchant.objects.filter(enterprise_id__in=list(merchants))}
        enrol = []
        for key, group in (("consumption", shops), ("innovation", providers), ("equipment", vendors)):
            for i, e in enumerate(group):
                status = "applied" if i == len(group) - 1 else "approved"
                enrol.append(Enrolment(merchant=merchants[e.pk], fund=books[key].fund, status=status,
                                       decided_at=None if status == "applied" else jan2))
        Enrolment.objects.bulk_create(enrol)
        live = {key: [merchants[e.pk] for e in group[:-1]] for key, group in
                (("consumption", shops), ("innovation", providers), ("equipment", vendors))}

        vouchers: list[Voucher] = []
        plans: list[tuple[str, Voucher, list]] = []  # (fund key, voucher, [(day, merchant, amount)])

        # 创新券 and 研发设备补贴: applications over the year, reviewed, approved ones issued.
        apps: list[Application] = []
        n_apps = {"innovation": 90 * scale, "equipment": 45 * scale}
        end_day = today - dt.timedelta(days=3)
        for key, n in n_apps.items():
            pol = pols[key]
            for i in range(min(n, len(applicants))):
                e = applicants[(i * 7 + (0 if key == "innovation" else 3)) % len(applicants)]
                if any(a.applicant_enterprise_id == e.pk and a.policy_id == pol.pk for a in apps):
                    continue
                day = dt.date(year, 1, 6) + dt.timedelta(days=rng.randrange(max(1, (end_day - dt.date(year, 1, 6)).days)))
                employees = rng.choice([12, 35, 60, 120, 260, 450, 1200])
                declared = {"employees": employees, "revenue_wan": employees * rng.uniform(30, 90)}
                base_key = "service_cost" if key == "innovation" else "equipment_cost"
                declared[base_key] = rng.randrange(50_000, 800_000) * 100
                facts = {"date": day, "industry": e.industry, "region": e.region.code, **declared,
                         "enterprise_size": engine.enterprise_size(employees, declared["revenue_wan"])}
                decision = engine.check(pol.criteria, facts)
                amount = engine.amount_fen(pol.formula, facts)
                if not decision.eligible:
                    continue
                fate = rng.random()
                decided = day + dt.timedelta(days=rng.randint(5, 15))
                if decided >= today:
                    status, decided_at = "submitted", None
                elif fate < 0.1:
                    status, decided_at = "refused", _at(decided, 15)
                else:
                    status, decided_at = "issued", _at(decided, 15)
                approved = None if status != "issued" else (amount if rng.random() < 0.8 else amount * 8 // 10)
                app = Application(policy=pol, year=year, applicant_enterprise=e, status=status,
                                  facts={k: (str(v) if isinstance(v, dt.date) else v) for k, v in facts.items()},
                                  eligibility=services.decision_json(decision, amount), requested_fen=amount,
                                  approved_fen=approved, submitted_at=_at(day, 9, rng.randrange(60)),
                                  decided_at=decided_at,
                                  reason="研发服务合同与发票不对应，请补正后重新申请" if status == "refused" else "")
                apps.append(app)
                if status != "issued":
                    continue
                b = books[key]
                if b.issued + approved > b.budget:
                    app.status, app.approved_fen, app.reason = "refused", None, "本年度资金已用完"
                    continue
                v = Voucher(fund=b.fund, holder_enterprise=e, kind="budget", code=secrets.token_hex(8).upper(),
                            value_fen=approved, balance_fen=approved, valid_from=decided,
                            valid_until=decided + dt.timedelta(days=pol.validity_days),
                            categories=pol.categories, issued_at=_at(decided, 16))
                v._app = app
                b.issued += approved
                uses, left = [], approved
                for _k in range(rng.choice([0, 1, 1, 2, 3]) if live[key] else 0):
                    when = decided + dt.timedelta(days=rng.randint(10, 120))
                    if when >= today or left <= 0:
                        break
                    amt = left if rng.random() < 0.4 else max(1, left * rng.randint(20, 70) // 100)
                    uses.append((when, rng.choice(live[key]), amt))
                    left -= amt
                plans.append((key, v, uses))
        Application.objects.bulk_create(apps)

        # 人才消费券: two batches to the young talents the criteria admit (March and September).
        pol = pols["consumption"]
        people = _eligible_people(today, 300 * scale)
        admitted = []
        for p in people:
            facts = {"date": today, "is_talent": True, "age": today.year - p.birth_date.year, "region": WUXING}
            if engine.check(pol.criteria, facts).eligible:
                admitted.append(p)
        b = books["consumption"]
        value = engine.amount_fen(pol.formula, {})
        batches = [dt.date(year, 3, 1), dt.date(year, 9, 1)]
        b.budget += 50_000_000 * scale
        b.entry(EntryKind.TOPUP, 50_000_000 * scale, _at(dt.date(year, 8, 20), 11), note="下半年追加")
        for start in batches:
            if start >= today:
                continue
            for p in admitted:
                if b.issued + value > b.budget:
                    break
                v = Voucher(fund=b.fund, holder_person=p, kind="budget", code=secrets.token_hex(8).upper(),
                            value_fen=value, balance_fen=value, valid_from=start,
                            valid_until=start + dt.timedelta(days=pol.validity_days), categories=pol.categories,
                            issued_at=_at(start, 9))
                b.issued += value
                uses, left = [], value
                for _k in range(rng.choice([0, 1, 2, 2, 3, 4, 5]) if live["consumption"] else 0):
                    when = start + dt.timedelta(days=rng.randint(0, pol.validity_days))
                    if when >= today or when > v.valid_until or left <= 0:
                        continue
                    amt = min(left, rng.choice([1_880, 3_550, 6_800, 12_600, 25_000, 8_850, 15_900, 42_000]))
                    uses.append((when, rng.choice(live["consumption"][:30]), amt))
                    left -= amt
                plans.append(("consumption", v, sorted(uses, key=lambda u: u[0])))
        # Signals for the reviewers: one pair again and again, one shop's round sums just before expiry.
        busy, rounder = live["consumption"][30 % len(live["consumption"])], live["consumption"][-1]
        for key, v, uses in plans:
            if key != "consumption" or v.valid_from != batches[0]:
                continue
            if v.holder_person_id == admitted[0].pk:
                uses[:] = [(v.valid_from + dt.timedelta(days=3 * i + 1), busy, 9_000) for i in range(9)]
            elif v.holder_person_id in {p.pk for p in admitted[1:12]}:
                spent = sum(a for _d, _m, a in uses)
                if v.value_fen - spent >= 20_000:
                    uses.append((v.valid_until - dt.timedelta(days=1), rounder, 20_000))

        for _key, v, _uses in plans:
            app = getattr(v, "_app", None)
            v.application = app
            vouchers.append(v)
        Voucher.objects.bulk_create(vouchers, batch_size=2000)
        for key, v, _uses in plans:
            books[key].entry(EntryKind.ISSUE, v.value_fen, v.issued_at, voucher=v)

        # Redemptions, settlement on the working calendar, expiry, a hold and a clawback.
        reds: list[Redemption] = []
        for key, v, uses in plans:
            b = books[key]
            for when, m, amt in uses:
                if amt <= 0 or amt > v.balance_fen or when > v.valid_until:
                    continue
                settle_on = cal.add_workdays(when, b.fund.policy.settle_days)
                confirmed = _at(when, rng.randint(10, 20), rng.randrange(60))
                r = Redemption(voucher=v, fund=b.fund, merchant=m, amount_fen=amt, key=secrets.token_hex(16),
                               status=R.PENDING, requested_at=confirmed - dt.timedelta(minutes=1),
                               confirmed_at=confirmed, settle_on=settle_on)
                v.balance_fen -= amt
                v.spent_fen += amt
                b.redeemed += amt
                if settle_on <= today:
                    r.status, r.settled_at = R.SETTLED, _at(settle_on, 9)
                    b.settled += amt
                reds.append((b, r))
        held = [r for b, r in reds if r.status == R.PENDING][:3]
        for r in held:
            r.status, r.review_note = R.HELD, "同一持券人与商户短期内多次交易，暂缓结算待核实"
        Redemption.objects.bulk_create([r for _b, r in reds], batch_size=2000)
        for b, r in reds:
            b.entry(EntryKind.REDEEM, r.amount_fen, r.confirmed_at, voucher=r.voucher, redemption=r)
            if r.status == R.SETTLED:
                b.entry(EntryKind.SETTLE, r.amount_fen, r.settled_at, voucher=r.voucher, redemption=r)
        # 追回: one settled 消费券 transaction found false; the voucher had ended, so the money goes back to the fund.
        claw = next((r for b, r in reds if r.status == R.SETTLED and b is books["consumption"]
                     and r.voucher.valid_until < today), None)
        if claw is not None:
            b = books["consumption"]
            at = claw.settled_at + dt.timedelta(days=20)
            claw.status, claw.review_note = R.REVERSED, "核查为虚假交易，已追回"
            v = claw.voucher
            v.spent_fen -= claw.amount_fen
            v.released_fen += claw.amount_fen
            b.redeemed -= claw.amount_fen
            b.settled -= claw.amount_fen
            b.issued -= claw.amount_fen
            for kind in (EntryKind.REVERSE, EntryKind.CLAWBACK, EntryKind.RELEASE):
                b.entry(kind, claw.amount_fen, at, voucher=v, redemption=claw, note=claw.review_note)
            Redemption.objects.filter(pk=claw.pk).update(status=claw.status, review_note=claw.review_note)
        # Expiry: vouchers past their last day give their balances back.
        for key, v, _uses in plans:
            if v.valid_until < today:
                b = books[key]
                if v.balance_fen:
                    b.entry(EntryKind.RELEASE, v.balance_fen, _at(v.valid_until + dt.timedelta(days=1), 1), voucher=v,
                            note="过期退回")
                    b.issued -= v.balance_fen
                    v.released_fen += v.balance_fen
                    v.balance_fen = 0
                v.status = VoucherStatus.EXPIRED
            elif v.balance_fen == 0:
                v.status = VoucherStatus.SPENT
        Voucher.objects.bulk_update(vouchers, ["balance_fen", "spent_fen", "released_fen", "status"], batch_size=2000)
        for b in books.values():
            FundEntry.objects.bulk_create(b.entries, batch_size=2000)
            Fund.objects.filter(pk=b.fund.pk).update(budget_fen=b.budget, issued_fen=b.issued,
                                                     redeemed_fen=b.redeemed, settled_fen=b.settled)
        for b in books.values():
            audit_record(actor=actor, action=AuditAction.CREATE, obj=b.fund, changes={"budget_fen": [None, b.budget]})
        recs = services.reconcile(Fund.objects.filter(pk__in=[b.fund.pk for b in books.values()]))
        bad = [r for r in recs if not r["balanced"]]
        if bad:
            raise RuntimeError(f"demo books do not balance: {[(r['fund_id'], r['checks']) for r in bad]}")

    _live(pols=pols, books=books, admitted=admitted, applicants=applicants, live=live, password=password,
          actor=actor, today=today)
    _panel_review(region=region, applicants=applicants, password=password, actor=actor, today=today, rng=rng)
    return _counts()


def _live(*, pols, books, admitted, applicants, live, password, actor, today) -> None:
    """Today's flows through the services: the demo talent (login qingchuang) holding a live 消费券 with a shop's
    request to confirm; the merchant login shanghu; an enterprise's 创新券 application waiting for review."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = get_user_model().objects
    if not admitted or not live["consumption"]:
        return
    person = admitted[-1]
    if not users.filter(username="qingchuang").exists():
        account_create(username="qingchuang", role="resident", scope=person.id_number, password=password,
                       actor=actor, full_name=person.name)
    shop = live["consumption"][0]
    if not users.filter(username="shanghu").exists():
        account_create(username="shanghu", role="enterprise", scope=shop.enterprise.credit_code, password=password,
                       actor=actor, full_name=shop.enterprise.name)
    fund = books["consumption"].fund
    fund.refresh_from_db()
    v = services.voucher_issue(fund=fund, person=person, value_fen=100_000, valid_from=today,
                               valid_until=today + dt.timedelta(days=90), actor=actor)
    r = services.redemption_request(voucher=v, merchant=shop, amount_fen=6_800, actor=None)
    services.redemption_confirm(redemption=r, actor=None)
    services.redemption_request(voucher=v, merchant=shop, amount_fen=12_800, actor=None)
    taken = set(Application.objects.filter(policy=pols["innovation"]).values_list("applicant_enterprise_id", flat=True))
    e = next((x for x in applicants if x.pk not in taken), None)
    if e is not None:
        services.application_submit(policy_obj=pols["innovation"], enterprise=e, actor=None,
                                    declared={"employees": 48, "revenue_wan": 3200, "service_cost": 36_000_000})


def _panel_review(*, region, applicants, password, actor, today, rng) -> None:
    """重大研发设备补贴, reviewed by panel, through the services: six applications before a review panel of three
    judges (the evaluation demo's judge01–03 when present), scored and closed; the best approved (the second at
    80 %) and issued, the next approved waiting to be issued, the lowest refused with its panel score as the reason."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from bole.evaluation import services as ev  # noqa: PLC0415

    from . import panel  # noqa: PLC0415

    pol = SupportPolicy.objects.filter(region=region, name="重大研发设备补贴").first()
    if pol is not None:
        return
    pol = services.support_policy_create(actor=None, data={
        "region": region, "name": "重大研发设备补贴", "document": "青创工场八条", "article": "第四条第二款",
        "kind": "equipment", "holder_kind": "enterprise", "panel_review": True,
        "description": "单台（套）研发设备购置金额500万元以上的，经专家评审会评审后按购置金额的30%给予补贴券，单家企业每年最高300万元。",
        "criteria": [{"fact": "region", "op": "prefix", "value": [WUXING]},
                     {"fact": "enterprise_size", "op": "ne", "value": "large"},
                     {"fact": "industry", "op": "in", "value": ["C", "M"]},
                     {"fact": "equipment_cost", "op": "gte", "value": 500_000_000}],
        "formula": {"kind": "share", "base": "equipment_cost", "share": "0.3", "cap": 300_000_000},
        "categories": ["equipment"], "validity_days": 365, "settle_days": 10,
        "valid_from": dt.date(today.year, 1, 1), "valid_until": dt.date(today.year, 12, 31)})
    services.fund_create(policy_obj=pol, year=today.year, budget_fen=1_500_000_000, actor=actor)
    apps = []
    for e in [x for x in applicants if x.industry in ("C", "M")]:
        declared = {"employees": rng.choice([60, 120, 180]), "revenue_wan": rng.choice([4000, 9000, 15000]),
                    "equipment_cost": rng.randrange(500, 1200) * 1_000_000}
        decision, _facts, amount = services.eligibility(policy_obj=pol, enterprise=e, declared=declared, on=today)
        if decision.eligible and amount > 0:
            apps.append(services.application_submit(policy_obj=pol, enterprise=e, declared=declared, actor=None))
        if len(apps) == 6:
            break
    if len(apps) < 3:
        return
    evaluation = panel.panel_create(policy_obj=pol, actor=actor)
    users = get_user_model().objects
    judges = []
    for i in range(3):
        username = f"judge{i + 1:02d}"
        judges.append(users.filter(username=username).first() or account_create(
            username=username, role="judge", password=password, actor=actor, full_name=f"评委{i + 1}"))
    seats = [ev.judge_add(evaluation=evaluation, user=u, actor=actor) for u in judges]
    ev.evaluation_transition(evaluation=evaluation, to="open", actor=actor)
    criteria = list(evaluation.criteria.all())
    merit = {a.subject_id: rng.gauss(0, 1) for a in Application.objects.filter(panel=evaluation)}
    for seat, user in zip(seats, judges, strict=True):
        severity = rng.gauss(0, 0.5)
        for s in evaluation.subjects.all():
            level = 0.78 + 0.07 * merit[s.pk] + 0.03 * severity
            ev.judge_scores_save(seat=seat, subject=s, actor=user, scores={
                c.pk: min(c.max_score, max(0.0, round(c.max_score * (level + rng.gauss(0, 0.03)), 1)))
                for c in criteria})
        ev.judge_submit(seat=seat, actor=user)
    ev.evaluation_transition(evaluation=evaluation, to="closed", actor=actor)
    apps = list(Application.objects.filter(panel=evaluation))
    scores = panel.panel_scores(apps)
    ranked = sorted(apps, key=lambda a: -(scores.get(a.pk) or 0))
    for i, app in enumerate(ranked):
        if i == len(ranked) - 1:
            services.application_transition(application=app, to="refused", actor=actor, reason=(
                f"评审会得分 {scores.get(app.pk) or 0:.1f}，低于本批次支持线，不予支持"))
            continue
        amount = app.requested_fen * 8 // 10 if i == 1 else None
        services.application_transition(application=app, to="approved", approved_fen=amount, actor=actor,
                                        reason="经评审会评审，同意支持")
        if i < len(ranked) - 2:
            services.application_transition(application=app, to="issued", actor=actor)


def _counts() -> dict[str, int]:
    return {"voucher_policies": SupportPolicy.objects.count(), "voucher_funds": Fund.objects.count(),
            "voucher_applications": Application.objects.count(), "vouchers": Voucher.objects.count(),
            "voucher_redemptions": Redemption.objects.count(), "voucher_merchants": Merchant.objects.count()}
