"""Demo 产学研 for 德清县: 56 professors of 浙江工业大学 paired with 68 enterprises, 200+ technical problems solved
this year, from records (needs on the 技术需求 desk, pairings with their meetings, outcomes and ratings), written in
bulk; a few needs still open, one posted and not yet classified, a professor's and an enterprise's logins."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bole.cases import services as case_services
from bole.cases.choices import State, SubmitterKind
from bole.cases.models import Case
from bole.core.audit import audit_build, audit_bulk
from bole.core.choices import AuditAction
from bole.engines.matching_terms import FIELDS
from bole.org.models import Enterprise, Person, Region, Unit
from bole.org.services import account_create

from . import services
from .choices import OutcomeKind, PairState
from .models import Conflict, Expert, Need, Pairing, Report

PROFESSORS = 56
ENTERPRISES = 68
SOLVED = 212
UNSOLVED = 18
TITLES = ["教授", "教授", "副教授", "研究员", "副研究员"]
NEED_TEXT = "我公司在{a}环节遇到难题，{b}不稳定，希望在{c}和{d}方面得到专家指导。"
WORKS = "长期从事{a}、{b}和{c}研究，主持{d}相关课题，发表论文多篇，获得{e}发明专利。"
OUTCOMES = [(OutcomeKind.PATENT, "联合申请发明专利一项"), (OutcomeKind.PRODUCT, "新产品通过中试"),
            (OutcomeKind.PROCESS, "生产工艺改进，良品率提升"), (OutcomeKind.COST, "能耗与原料成本下降")]


def _name(rng: random.Random) -> str:
    from bole.org.demo import GIVEN, SURNAMES  # the register demo's name pool

    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor, password: str, county: str | None = None) -> dict[str, int]:
    """Deterministic for a seed; dates run back from today so this year's figures hold the records."""
    if Expert.objects.exists():
        return {"pairing_experts": Expert.objects.count()}
    rng = random.Random(seed + 19)
    code = county or "330521"
    region = Region.objects.filter(code=code).first() or Region.objects.filter(code__regex=r"^\d{4}[0-9][1-9]$") \
        .order_by("code").first()
    if region is None:
        return {}
    desk = services.need_desk_ensure(actor=actor)
    cats = {c.name: c for c in desk.categories.all()}
    fields = list(FIELDS)
    today = timezone.localdate()
    start = max(dt.date(today.year, 1, 5), today - dt.timedelta(days=330))
    span_days = max((today - start).days - 30, 30)

    # 专家: 56 professors of 浙江工业大学 (one on the register, with a login) and a few of 中科院汇德清研究院.
    person = (Person.objects.filter(unit__region__code__startswith=code, is_active=True, is_section_leader=False)
              .order_by("id").first())
    experts = []
    expert_terms = []
    for i in range(PROFESSORS + 4):
        field = fields[i % len(fields)]
        terms = rng.sample(FIELDS[field], 5)
        outside = i >= PROFESSORS
        on_register = i == 0 and person is not None
        experts.append(Expert(
            code=f"{'ZKY' if outside else 'ZJUT'}-{i + 1:03d}", name=person.name if on_register else _name(rng),
            region=region, person=person if on_register else None,
            institution="中科院汇德清研究院" if outside else "浙江工业大学", title=rng.choice(TITLES), fields=field,
            keywords="、".join(terms[:3]), works=WORKS.format(**dict(zip("abcde", terms, strict=True))),
            capacity=6))
        expert_terms.append((field, terms))
    Expert.objects.bulk_create(experts)
    experts = list(Expert.objects.filter(region=region).order_by("id"))
    audit_bulk([audit_build(actor=actor, action=AuditAction.IMPORT, obj=e) for e in experts])

    ents = list(Enterprise.objects.filter(region__code__startswith=code, is_active=True).order_by("id")[:ENTERPRISES])
    lead = (Unit.objects.filter(region__code__startswith=code, name__contains="组织部").order_by("id").first()
            or Unit.objects.filter(region__code__startswith=code, kind="department").order_by("id").first())
    if not ents or lead is None:
        return {"pairing_experts": len(experts)}

    # 技术需求 with their pairings: every professor and every enterprise at least once.
    n_hist = SOLVED + UNSOLVED
    plan = []
    for i in range(n_hist):
        j = i % PROFESSORS
        ent = ents[i % len(ents)]
        field, terms = expert_terms[j]
        words = rng.sample(terms, 4)
        posted = start + dt.timedelta(days=rng.randint(0, span_days))
        plan.append((j, ent, field, words, posted))
    rows = []
    for _j, ent, field, words, posted in plan:
        submitted_at = timezone.make_aware(dt.datetime.combine(posted, dt.time(9 + rng.randint(0, 7), 30)))
        accepted_at = submitted_at + dt.timedelta(hours=rng.randint(2, 30))
        rows.append({
            "category": cats.get(field), "title": f"{words[0]}技术难题", "lead_unit": lead,
            "description": NEED_TEXT.format(**dict(zip("abcd", words, strict=True))),
            "submitted_at": submitted_at, "accepted_at": accepted_at, "assigned_at": accepted_at,
            "state": State.IN_PROGRESS, "submitter_kind": SubmitterKind.ENTERPRISE, "submitter_enterprise": ent,
            "submitter_name": ent.contact_name})
    first_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0)
    case_services.case_bulk_history(desk=desk, rows=rows, actor=actor)
    cases = list(Case.objects.filter(desk=desk, id__gt=first_id).order_by("id"))
    needs = [Need(case=c, enterprise_id=c.submitter_enterprise_id, field=plan[i][2], k=3, title=c.title,
                  text=c.description, posted_at=c.submitted_at) for i, c in enumerate(cases)]
    Need.objects.bulk_create(needs)
    needs = list(Need.objects.filter(case__in=cases).order_by("case_id"))
    now = timezone.now()
    pairs = []
    for i, need in enumerate(needs):
        j = plan[i][0]
        posted = plan[i][4]
        created = need.posted_at + dt.timedelta(days=rng.randint(1, 4))
        met = posted + dt.timedelta(days=rng.randint(5, 21))
        closed = timezone.make_aware(dt.datetime.combine(
            min(met + dt.timedelta(days=rng.randint(10, 60)), today), dt.time(16)))
        closed = min(closed, now)
        solved = i < SOLVED
        kind, note = OUTCOMES[i % len(OUTCOMES)]
        pairs.append(Pairing(
            need=need, expert=experts[j], affinity=round(rng.uniform(0.35, 0.85), 4), terms=plan[i][3][:3],
            state=PairState.SOLVED if solved else PairState.UNSOLVED, created_at=created,
            enterprise_ok_at=created + dt.timedelta(hours=5), expert_ok_at=created + dt.timedelta(hours=20),
            first_meeting_on=min(met, today), closed_at=closed, outcome=kind if solved else "",
            outcome_note=note if solved else "", cost_saved=rng.choice([None, 5, 12, 30, 80]) if solved else None,
            rating=rng.choice([5, 5, 4, 4, 3]) if solved else rng.choice([2, 3])))
    Pairing.objects.bulk_create(pairs)
    pairs = list(Pairing.objects.filter(need__in=needs).order_by("id"))
    Report.objects.bulk_create([Report(pairing=p, author=actor, text="首次对接：赴企业现场调研，明确攻关方案。")
                                for p in pairs[::4]])
    audit_bulk([audit_build(actor=actor, action=AuditAction.IMPORT, obj=p) for p in pairs])
    Conflict.objects.bulk_create([Conflict(expert=experts[k], enterprise=ents[(k * 7 + 3) % len(ents)],
                                           kind="former", note="曾任该企业技术顾问") for k in range(0, 12, 3)])

    # Logins: the enterprise (the portal's qiye when it is one of ours) and the professor on the register.
    users = get_user_model().objects
    qiye_user = users.filter(username="qiye").first()
    if person is not None and not users.filter(username="jiaoshou").exists():
        account_create(username="jiaoshou", role="resident", scope=person.id_number, password=password,
                       full_name=person.name, actor=actor)
    # Open work: two classified needs waiting for a matching run, one posted and not yet classified.
    live_ent = ents[0]
    if qiye_user is not None and getattr(qiye_user, "account", None) and qiye_user.account.enterprise_id:
        live_ent = Enterprise.objects.get(pk=qiye_user.account.enterprise_id)
    open_needs = [("遥感影像地物识别精度不足", "我公司在遥感影像处理环节遇到难题，地物分类精度不足，希望在深度学习和三维建模方面得到专家指导。",
                   "地理信息"),
                  ("电镀废水重金属超标", "电镀废水处理后重金属污染指标不稳定，需要污水处理和膜分离方面的技术支持。", "环保"),
                  ("锂电池储能柜热管理", "储能系统热管理效率较低，寻求电池管理系统方面的合作。", "新能源")]
    for n, (title, text, field) in enumerate(open_needs):
        case = case_services.case_submit(desk=desk, title=title, description=text,
                                         submitter_kind=SubmitterKind.ENTERPRISE, submitter_enterprise=live_ent,
                                         submitter_name=live_ent.contact_name, actor=qiye_user or actor)
        if n < 2:
            services.need_classify(case=case, field=field, k=3, actor=actor)
    return {"pairing_experts": len(experts), "pairing_needs": len(needs) + 2, "pairing_pairs": len(pairs)}
