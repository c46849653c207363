"""Demo data of the home branches: 45 branches, 2,300 adopted stairwells, 17,000+ resolved requests,
30+ co-governance committees with 500+ issues; the party member and community logins; in one county of the demo
city (德清县) when given one."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from bole.cases import services as case_services
from bole.cases.choices import Action, Rating, State, SubmitterKind
from bole.cases.desks import HOME_GOVERNANCE, HOME_REQUEST, desks_ensure
from bole.org.models import Person, Region, Unit

from . import services
from .choices import MemberKind
from .models import Adoption, HomeBranch, Stairwell

TZ = ZoneInfo("Asia/Shanghai")
COMPOUNDS = ["阳光花园", "英溪家园", "金色港湾", "凤栖苑", "莫干山水", "紫金城", "千秋佳苑", "余英名都", "丰庆小区",
             "永安公寓", "城西新村", "塔山雅苑", "北湖印象", "新城名邸", "桂花园", "枫华庭", "锦绣江南", "玉兰苑"]
REQUESTS = {
    "环境卫生": ["楼道堆放杂物影响通行", "垃圾桶满了没人清运", "楼道墙面小广告很多", "绿化带有积水蚊虫多"],
    "设施维修": ["楼道灯坏了晚上看不见", "单元门禁坏了关不上", "屋顶漏水到楼道", "楼梯扶手松动"],
    "邻里纠纷": ["楼上噪音影响休息", "邻居在楼道养狗", "楼道内充电电动车有隐患"],
    "物业管理": ["物业服务响应慢", "小区停车乱收费", "电梯经常故障"],
    "其他": ["希望增加适老化扶手", "想了解加装电梯政策", "建议设置快递柜"],
}
ISSUES = {
    "停车管理": "小区停车位不足、僵尸车占位，拟议定车位分配与清理方案",
    "加装电梯": "老旧楼道加装电梯，协调低层住户意见和费用分摊",
    "公共空间": "闲置架空层改造为居民议事和活动空间",
    "物业服务": "物业费调整与服务标准公示",
    "其他": "垃圾分类定时定点投放点位调整",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Branches, stairwells, adoptions, committees, requests and issues; deterministic for (scale, seed).
    `county` (a county's region code): its communities and its party members."""
    from django.contrib.auth import get_user_model

    from bole.org.services import account_create

    rng = random.Random(seed + 6)
    desks = desks_ensure(actor=actor)
    area = county or ""
    communities = list(Region.objects.filter(level="village", kind="community", code__startswith=area)
                       .order_by("code")) or \
        list(Region.objects.filter(level="village", code__startswith=area).order_by("code"))
    unit_of = {u.region_id: u for u in Unit.objects.filter(region__in=communities, kind="village").order_by("id")}
    communities = [c for c in communities if c.pk in unit_of]
    office_members = list(Person.objects.filter(is_party_member=True, is_active=True,
                                                unit__region__code__startswith=area)
                          .exclude(unit__kind="village").select_related("unit").order_by("id"))
    village_members = {}
    for p in Person.objects.filter(is_party_member=True, unit__kind="village",
                                   unit__region__code__startswith=area).order_by("id"):
        village_members.setdefault(p.unit_id, p)

    n_branches = 45 * scale
    branches = []
    for i in range(n_branches):
        community = communities[i % len(communities)]
        compound = COMPOUNDS[(i // len(communities) + i) % len(COMPOUNDS)]
        unit = unit_of[community.pk]
        branches.append(services.branch_create(
            name=f"{community.name}{compound}家园支部{'' if i < len(COMPOUNDS) * 3 else i}", community=community,
            unit=unit, secretary=village_members.get(unit.pk),
            established_on=dt.date(2023, 3, 1) + dt.timedelta(days=rng.randint(0, 200)), actor=actor))

    # Stairwells: ~53 per branch; 2,300 (×scale) adopted by office party members.
    rows = []
    for b in branches:
        compound = b.name.replace(b.community.name, "").replace("家园支部", "").rstrip("0123456789")
        for k in range(53):
            rows.append({"branch": b, "compound": compound, "building": str(k // 3 + 1), "entrance": str(k % 3 + 1),
                         "households": rng.choice([12, 18, 24, 30, 36]), "head_name": "",
                         "head_phone": ""})
    services.stairwell_bulk_create(rows=rows, actor=actor)
    stairwells = list(Stairwell.objects.filter(branch__in=branches).select_related("branch__community")
                      .order_by("id"))
    n_adopted = min(len(stairwells), 2300 * scale)
    adopted = stairwells[:: max(1, len(stairwells) // n_adopted)][:n_adopted] if n_adopted < len(stairwells) \
        else stairwells
    adoption_rows = []
    adopter = {}
    for i, s in enumerate(adopted):
        person = office_members[i % len(office_members)]
        adopter[s.pk] = person
        adoption_rows.append({"stairwell": s, "person": person,
                              "start_on": dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 180))})
    services.adoption_bulk_create(rows=adoption_rows, actor=actor)

    # Co-governance committees in 32 (×scale) branches.
    committees = []
    for i, b in enumerate(branches[: 32 * scale]):
        committees.append(services.committee_create(
            branch=b, name=f"{b.name.replace('家园支部', '')}家园共治委员会", chair=b.secretary, actor=actor,
            established_on=b.established_on + dt.timedelta(days=30),
            members=[{"kind": MemberKind.COMMUNITY, "name": b.secretary.name if b.secretary else "社区书记",
                      "organisation": b.community.name},
                     {"kind": MemberKind.OWNERS, "name": f"业委会主任{i + 1}", "organisation": "业主委员会"},
                     {"kind": MemberKind.PROPERTY, "name": f"物业经理{i + 1}", "organisation": "物业服务公司"},
                     {"kind": MemberKind.SOCIAL_ORG, "name": f"社工{i + 1}", "organisation": "社工服务站"},
                     {"kind": MemberKind.STAIRWELL_HEAD, "name": f"楼道长{i + 1}", "organisation": ""}]))

    # Residents' requests: 17,200 (×scale) resolved, through the bulk history service.
    req_desk = desks[HOME_REQUEST]
    req_cats = {c.name: c for c in req_desk.categories.all()}
    rows = []
    n_requests = 17200 * scale
    for _i in range(n_requests):
        s = adopted[rng.randrange(len(adopted))]
        person = adopter[s.pk]
        cat_name = rng.choices(list(REQUESTS), [30, 30, 15, 15, 10])[0]
        text = rng.choice(REQUESTS[cat_name])
        submitted = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randint(0, 690))
        submitted_at = _at(submitted, rng.randint(7, 21), rng.randint(0, 59))
        assigned_at = submitted_at + dt.timedelta(minutes=1)
        resolved_at = assigned_at + dt.timedelta(days=rng.choices([0, 1, 2, 3, 5, 8], [15, 30, 25, 15, 10, 5])[0],
                                                 hours=rng.randint(1, 8))
        rows.append({
            "category": req_cats[cat_name], "title": text, "description": f"{s}：{text}", "ref": s,
            "location": f"{s.branch.community.name}{s}", "submitter_kind": SubmitterKind.RESIDENT,
            "submitter_phone": f"13{rng.randint(100000000, 999999999)}", "lead_unit": person.unit, "owner": person,
            "submitted_at": submitted_at, "accepted_at": submitted_at, "assigned_at": assigned_at,
            "resolved_at": resolved_at, "resolution": "认领党员已上门处理，问题解决。", "state": State.CLOSED,
            "rated_at": resolved_at + dt.timedelta(hours=rng.randint(1, 30)),
            "rating": rng.choices([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED], [85, 13, 2])[0],
        })
    case_services.case_bulk_history(desk=req_desk, rows=rows, actor=actor)

    # Governance issues: 520 (×scale), mostly settled.
    gov_desk = desks[HOME_GOVERNANCE]
    gov_cats = {c.name: c for c in gov_desk.categories.all()}
    rows = []
    for i in range(520 * scale):
        c = committees[i % len(committees)]
        cat_name = list(ISSUES)[i % len(ISSUES)]
        submitted = dt.date(2024, 1, 5) + dt.timedelta(days=rng.randint(0, 680))
        submitted_at = _at(submitted, 9, rng.randint(0, 59))
        resolved_at = submitted_at + dt.timedelta(days=rng.randint(7, 35))
        rows.append({
            "category": gov_cats[cat_name], "title": f"{cat_name}议题", "description": ISSUES[cat_name], "ref": c,
            "location": c.branch.community.name, "submitter_kind": SubmitterKind.CADRE,
            "lead_unit": c.branch.unit, "owner": c.chair if c.chair and c.chair.unit_id == c.branch.unit_id
            else None, "submitted_at": submitted_at, "accepted_at": submitted_at, "assigned_at": submitted_at,
            "resolved_at": resolved_at, "resolution": "共治委员会议定方案并公示实施。", "state": State.CLOSED,
            "rated_at": resolved_at + dt.timedelta(days=1), "rating": Rating.SATISFIED,
        })
    case_services.case_bulk_history(desk=gov_desk, rows=rows, actor=actor)

    # Logins: a party member who adopted stairwells (handles requests), a community admin.
    User = get_user_model()
    member = adopter[adopted[0].pk]
    if not User.objects.filter(username="dangyuan").exists():
        account_create(username="dangyuan", role="cadre", scope=member.id_number, password=password,
                       full_name=member.name, actor=actor)
    if not User.objects.filter(username="shequ").exists():
        account_create(username="shequ", role="unit_admin", scope=branches[0].unit.name, password=password,
                       full_name=f"{branches[0].community.name}管理员", actor=actor)
    # A few live requests on the party member's stairwell, through the real services.
    for text in ("楼道灯坏了晚上看不见", "单元门禁坏了关不上"):
        case = services.resident_request_submit(stairwell=adopted[0], phone="13857200001", description=text,
                                                category=req_cats["设施维修"], actor=None)
        if text.startswith("楼道灯"):
            case = case_services.case_transition(case=case, action=Action.START, actor=None, by_rule=True)
    return {
        "home_branches": HomeBranch.objects.count(),
        "stairwells": Stairwell.objects.count(),
        "stairwells_adopted": Adoption.objects.filter(end_on__isnull=True).values("stairwell").distinct().count(),
        "committees": len(committees),
        "requests": n_requests + 2,
        "governance_issues": len(rows),
    }
