"""Demo data of the key projects: 1,273 projects led by the 646 section-level leaders, milestones on the working
calendar, 2,300+ difficulties solved through the 项目难题 desk, frontline points settled per quarter, in one county
of the demo city (德清县) when given one; and 131 major projects over 100 billion yuan in the county whose article
names them (吴兴区, `projects.major` among its mechanisms), or among the key projects without a demo city."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from bole.org.models import Person, Region, Unit

from . import services
from .choices import ProjectKind, ProjectStatus
from .models import Project

TZ = ZoneInfo("Asia/Shanghai")
N_PROJECTS, N_MAJOR, N_SOLVED, N_OPEN = 1273, 131, 2340, 160
NAMES = {
    ProjectKind.INDUSTRY: ["智能装备产业园", "新材料生产基地", "生物医药产业化", "绿色家居智造", "汽车零部件扩产"],
    ProjectKind.INFRASTRUCTURE: ["快速路改造", "污水处理厂提标", "综合管廊", "220千伏输变电", "港航物流园"],
    ProjectKind.TECH: ["地理信息小镇创新中心", "数字经济产业园", "科创孵化器", "算力中心", "院士工作站"],
    ProjectKind.URBAN: ["老旧小区改造", "城中村有机更新", "历史街区保护利用", "未来社区", "滨水公园"],
    ProjectKind.RURAL: ["高标准农田", "乡村振兴示范带", "农产品冷链中心", "美丽乡村精品线", "农旅融合综合体"],
    ProjectKind.LIVELIHOOD: ["人民医院迁建", "九年一贯制学校", "养老服务中心", "全民健身中心", "保障性租赁住房"],
}
DIFFICULTIES = ["用地指标不足", "规划调整审批慢", "政策处理遇阻", "电力增容排队", "融资授信受限", "环评批复延迟",
                "施工用水接入难", "征迁补偿分歧", "林地占用审批", "交通组织方案未定"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _project_rows(rng: random.Random, area: str, n: int, n_major: int, today: dt.date) -> list[dict]:
    """`n` projects led by the section-level leaders of `area` (a region code prefix) in its towns, `n_major` of
    them major."""
    from . import schedule

    leaders = list(Person.objects.filter(is_section_leader=True, is_active=True, unit__region__code__startswith=area)
                   .order_by("id"))
    staff = list(Person.objects.filter(is_cadre=True, is_section_leader=False, is_active=True,
                                       unit__region__code__startswith=area)
                 .order_by("id").values_list("id", "unit_id"))
    towns = list(Region.objects.filter(level="town", code__startswith=area).order_by("code"))
    county = Region.objects.filter(level="county", code__startswith=area).order_by("code").first()
    units = {u.pk: u for u in Unit.objects.filter(region__code__startswith=area)}
    major = set(rng.sample(range(n), n_major))
    rows = []
    first_day, span = dt.date(2024, 1, 2), max(30, (today - dt.timedelta(days=20) - dt.date(2024, 1, 2)).days)
    for i in range(n):
        lead = leaders[i % len(leaders)]
        leads = [lead] + ([leaders[rng.randrange(len(leaders))]] if rng.random() < 0.12 else [])
        kind = rng.choice(ProjectKind.values)
        region = rng.choice(towns) if rng.random() < 0.75 else county
        investment = round(rng.uniform(5.5, 12.0), 2) if i in major else round(rng.uniform(0.3, 4.8), 2)
        signed = first_day + dt.timedelta(days=rng.randrange(span))
        age = (today - signed).days
        status = ProjectStatus.SIGNED if age < 60 else rng.choices(
            [ProjectStatus.BUILDING, ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED], [0.72, 0.25, 0.03])[0]
        team = [pid for pid, uid in rng.sample(staff, 3)] if staff else []
        stones = []
        for name, days in schedule.STANDARD_MILESTONES:
            stones.append([name, days])
        rows.append({"name": f"{region.name}{rng.choice(NAMES[kind])}{'（重大）' if i in major else ''}"[:150],
                     "kind": kind, "investment": investment, "region": region, "unit": units[lead.unit_id],
                     "leads": leads, "team": team, "status": status, "signed_on": signed, "is_major": i in major,
                     "milestones": stones, "description": f"总投资 {investment} 亿元，{lead.name}领办。"})
    return rows


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Build the projects, their difficulties and frontline points; deterministic for (scale, seed). `county` (a
    county's region code): its section-level leaders lead projects in its towns for its departments."""
    from bole.cases.choices import Rating, State, SubmitterKind
    from bole.cases.desks import PROJECT, desks_ensure
    from bole.cases.services import case_bulk_history

    from . import schedule
    from .selectors import project_counts

    if Project.objects.exists():
        return {}
    from bole.org.demo import county_of

    rng = random.Random(seed + 23)
    today = schedule.today()
    # The county's key projects; the major projects (over 100 billion yuan together) are 吴兴区's article: in the
    # county that runs it when the demo city holds one, else among the key projects.
    major_area = county_of("projects.major") if county else None
    rows = _project_rows(rng, county or "", N_PROJECTS * scale, 0 if major_area else N_MAJOR * scale, today)
    if major_area:
        rows += _project_rows(rng, major_area, N_MAJOR * scale, N_MAJOR * scale, today)
    # Done dates: each milestone reached on time (80%), a few days late (15%), or still open if not yet due.
    planned = iter(schedule.planned_dates_many([r["signed_on"] for r in rows for _s in r["milestones"]],
                                               [d for r in rows for _n, d in r["milestones"]]))
    for r in rows:
        for stone in r["milestones"]:
            due = next(planned)
            roll = rng.random()
            done = due - dt.timedelta(days=rng.randint(0, 3)) if roll < 0.8 else due + dt.timedelta(days=rng.randint(1, 12))
            if r["status"] == ProjectStatus.COMPLETED:
                done = min(done, today)
            if done <= today and (r["status"] != ProjectStatus.SIGNED or roll < 0.8):
                stone.append(max(done, r["signed_on"]))
    projects = services.project_bulk_history(rows=rows, actor=actor)

    # Difficulties: cases on the 項目难题 desk pointing at projects, most solved and rated.
    desk = desks_ensure(actor=actor)[PROJECT]
    cats = list(desk.categories.all())
    case_rows = []
    departments = list(Unit.objects.filter(region__code__startswith=county or "", kind="department"))
    live = [(p, r) for p, r in zip(projects, rows, strict=True)
            if (today - r["signed_on"]).days > 25 and not (major_area and r["is_major"])]
    for k in range((N_SOLVED + N_OPEN) * scale):
        p, r = live[rng.randrange(len(live))]
        open_case = k >= N_SOLVED * scale
        lo = r["signed_on"] + dt.timedelta(days=1)
        hi = today - dt.timedelta(days=3 if open_case else 25)
        submitted = lo + dt.timedelta(days=rng.randrange(max(1, (hi - lo).days)))
        at = _at(submitted, rng.randint(8, 17))
        accepted, assigned = at + dt.timedelta(hours=rng.randint(1, 20)), at + dt.timedelta(hours=rng.randint(21, 30))
        lead_unit = rng.choice(departments)
        title = rng.choice(DIFFICULTIES)
        row = {"category": cats[k % len(cats)], "title": f"{p.name[:40]}：{title}", "ref": p,
               "description": f"{p.name}推进中遇到{title}问题，需{lead_unit.name}牵头协调。",
               "submitter_kind": SubmitterKind.CADRE, "submitter_person": r["leads"][0],
               "submitter_name": r["leads"][0].name, "lead_unit": lead_unit, "submitted_at": at,
               "accepted_at": accepted, "assigned_at": assigned,
               "state": State.IN_PROGRESS if open_case else State.CLOSED}
        if not open_case:
            resolved = assigned + dt.timedelta(days=rng.randint(2, 18), hours=rng.randint(0, 6))
            row.update(resolved_at=resolved, resolution="经协调会议定，相关部门限期办结，难题已破解。",
                       rated_at=resolved + dt.timedelta(days=1),
                       rating=rng.choices([Rating.SATISFIED, Rating.BASIC], [0.9, 0.1])[0])
        case_rows.append(row)
    case_bulk_history(desk=desk, rows=case_rows, actor=actor)

    # 一线考评: settle the quarters of 2024 (the assessment demo's year) and publish the Q4 score to the assessment;
    # later quarters are left for the frontline page's settle button.
    quarters = [f"2024Q{q}" for q in range(1, 5)]
    posted = sum(services.frontline_settle(period=q, actor=actor) for q in quarters)
    services.frontline_publish(period="2024Q4", actor=actor)
    figures = project_counts(Project.objects.all())
    return {"key_projects": figures["key_projects"], "project_leaders": figures["project_leaders"],
            "difficulties_solved": figures["difficulties_solved"], "major_projects": figures["major_projects"],
            "major_investment_yi": int(figures["major_investment_yi"]), "frontline_points": posted}
