"""Demo data of the case desks: 兜底办 65 problems (all resolved, 90+ coordination meetings), project and
talent cases, a few live cases run through the transition service, unit heads, the enterprise login; in one county of
the demo city (德清县) when given one."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from bole.org.models import Enterprise, Person, Unit

from . import services
from .choices import Action, Rating, State, SubmitterKind
from .desks import CATCHALL, PROJECT, TALENT, desks_ensure
from .models import Case

TZ = ZoneInfo("Asia/Shanghai")

CATCHALL_PROBLEMS = [
    ("厂区外排水管网归属不清，雨季倒灌", "边界不清不想管"),
    ("老厂房消防验收标准调整后无法办理", "政策变动没人管"),
    ("企业门口道路破损，交通与住建互相推诿", "职能交叉不好管"),
    ("园区路灯长期不亮，管护主体不明", "边界不清不想管"),
    ("环评批复与规划用途不一致，扩产受阻", "职能交叉不好管"),
    ("历史遗留土地证办理停滞", "政策变动没人管"),
    ("员工子女入学积分政策调整后无法申请", "政策变动没人管"),
    ("厂区周边违章搭建影响物流通道", "职能交叉不好管"),
    ("高压线迁改费用分担无人牵头", "边界不清不想管"),
    ("危废处置资质变更后无处可送", "政策变动没人管"),
    ("企业班车停靠点被取消", "其他"),
    ("天然气管道接入迟迟无人对接", "其他"),
    ("跨镇界河道清淤无人负责", "边界不清不想管"),
]
MINUTES = ["会议明确由{u}牵头，相关部门配合，限期完成。", "经协调，各方同意分段负责，{u}统筹推进。",
           "会议议定先行临时处置，{u}负责长效方案。"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _history_row(rng, *, desk, category, title, description, lead_unit, owner, submitted: dt.date, days_to_resolve,
                 state=State.CLOSED, **extra):
    submitted_at = _at(submitted, rng.randint(8, 17), rng.randint(0, 59))
    accepted_at = submitted_at + dt.timedelta(hours=rng.randint(1, 20))
    assigned_at = accepted_at + dt.timedelta(hours=rng.randint(1, 8))
    row = {"category": category, "title": title, "description": description, "lead_unit": lead_unit,
           "owner": owner, "submitted_at": submitted_at, "accepted_at": accepted_at, "assigned_at": assigned_at,
           "state": state, **extra}
    if state in {State.CLOSED, State.RESOLVED}:
        resolved_at = assigned_at + dt.timedelta(days=days_to_resolve, hours=rng.randint(0, 6))
        row.update(resolved_at=resolved_at, resolution=extra.get("resolution") or "已办结，问题解决。")
        if state == State.CLOSED:
            row.update(rated_at=resolved_at + dt.timedelta(days=rng.randint(0, 3), hours=2),
                       rating=rng.choices([Rating.SATISFIED, Rating.BASIC], [0.88, 0.12])[0])
    return row


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Build the desks and their cases; deterministic for (scale, seed). `county` (a county's region code): the
    desks' head, the units and the enterprises from that county."""
    from bole.org.services import account_create

    rng = random.Random(seed + 5)
    area = county or ""
    org_dept = Unit.objects.filter(short_name="县委组织部", region__code__startswith=area).first() or \
        Unit.objects.filter(region__code__startswith=area).order_by("id").first()
    head = Person.objects.filter(unit=org_dept, is_section_leader=True).order_by("id").first()
    desks = desks_ensure(actor=actor, head=head)
    gov_units = list(Unit.objects.filter(kind__in=["department", "town", "party", "institution"],
                                         region__code__startswith=area).order_by("id"))
    leaders = {}
    for p in Person.objects.filter(is_section_leader=True, unit__in=gov_units).order_by("id"):
        leaders.setdefault(p.unit_id, p)
    for unit in gov_units:
        if unit.pk in leaders:
            services.unit_head_set(unit=unit, person=leaders[unit.pk], actor=actor)
    enterprises = list(Enterprise.objects.filter(region__code__startswith=area).order_by("id")[:400])
    departments = [u for u in gov_units if u.kind == "department"]
    counts: dict[str, int] = {}

    # 兜底办: 60 historical problems + 5 run live through the transition service = 65, all resolved.
    catchall = desks[CATCHALL]
    cats = {c.name: c for c in catchall.categories.all()}
    rows = []
    for i in range(60 * scale):
        title, cat = CATCHALL_PROBLEMS[i % len(CATCHALL_PROBLEMS)]
        ent = enterprises[i % len(enterprises)]
        lead = departments[rng.randrange(len(departments))]
        rows.append(_history_row(
            rng, desk=catchall, category=cats[cat], title=title, lead_unit=lead, owner=leaders.get(lead.pk),
            description=f"{ent.name}反映：{title}，多次向有关部门反映未果，请求兜底办协调解决。",
            submitted=dt.date(2024, 1, 8) + dt.timedelta(days=rng.randint(0, 600)),
            days_to_resolve=rng.randint(5, 26), submitter_kind=SubmitterKind.ENTERPRISE, submitter_enterprise=ent,
            submitter_name=ent.contact_name, submitter_phone=ent.contact_phone, location=ent.address,
            resolution="经协调会议定，责任单位已落实，企业确认问题解决。"))
    services.case_bulk_history(desk=catchall, rows=rows, actor=actor)
    hist = list(Case.objects.filter(desk=catchall).order_by("id"))
    meetings = []
    for i, case in enumerate(hist):
        n = 2 if i < 30 * scale else 1  # 90 meetings here, 5 more in the live cases below
        for k in range(n):
            held = case.assigned_at + dt.timedelta(days=2 + 3 * k)
            others = rng.sample(departments, 2)
            meetings.append({"case": case, "held_at": held, "place": "县委组织部兜底办会议室",
                             "units": [case.lead_unit, *others],
                             "minutes": MINUTES[k % len(MINUTES)].format(u=case.lead_unit.name),
                             "decisions": [{"text": f"{case.lead_unit.name}牵头落实", "owner_unit": case.lead_unit,
                                            "deadline": (held + dt.timedelta(days=10)).date()}]})
    services.meeting_bulk_history(meetings=meetings, actor=actor)

    # Enterprise login for the portal.
    from django.contrib.auth import get_user_model

    qiye_ent = enterprises[0]
    qiye = get_user_model().objects.filter(username="qiye").first() or account_create(
        username="qiye", role="enterprise", scope=qiye_ent.credit_code, password=password,
        full_name=qiye_ent.name[:30], actor=actor)
    live_titles = ["厂区外雨污管网接驳无人牵头", "新厂房竣工测绘标准变化无法验收", "厂门口公交站撤并后员工通勤难",
                   "园区围墙外绿化带养护责任不清", "出口退税资料口径调整无人解释"]
    for i, title in enumerate(live_titles[:5]):
        ent = qiye_ent if i < 2 else enterprises[10 + i]
        case = services.case_submit(
            desk=catchall, category=list(cats.values())[i % 4], title=title, location=ent.address,
            description=f"{ent.name}：{title}，已持续一年多，请兜底办协调。", submitter_kind=SubmitterKind.ENTERPRISE,
            submitter_enterprise=ent, actor=qiye if ent == qiye_ent else actor)
        case = services.case_transition(case=case, action=Action.ACCEPT, actor=actor)
        first, second = departments[i], departments[i + 7]
        case = services.case_transition(
            case=case, action=Action.ASSIGN, actor=actor, lead_unit=first,
            co_units=[{"unit": second, "description": "配合核实", "deadline_days": 3}] if i != 1 else [])
        if i == 1:  # a unit declines within the window; the desk arbitrates
            case = services.case_transition(case=case, action=Action.DECLINE, actor=actor,
                                            reason="该事项不属于本单位职责")
            case = services.case_transition(case=case, action=Action.ARBITRATE, actor=actor, lead_unit=second)
        case = services.case_transition(case=case, action=Action.START, actor=actor)
        services.meeting_record(case=case, held_at=case.assigned_at, place="兜底办会议室",
                                units=[first, second], minutes=f"协调会明确由{case.lead_unit.name}牵头解决。",
                                decisions=[{"text": "限期解决", "owner_unit": case.lead_unit}], actor=actor)
        for task in case.tasks.all():
            services.task_complete(task=task, result="已配合完成", actor=actor)
        case = services.case_transition(case=case, action=Action.RESOLVE, actor=actor,
                                        resolution="经协调已解决，企业确认。")
        services.case_transition(case=case, action=Action.RATE, actor=None, token=case.follow_token,
                                 rating=Rating.SATISFIED)
    counts["catchall_problems"] = Case.objects.filter(desk=catchall).count()

    # 项目难题 and 人才服务: historical plus some running cases, so the lights and the sweep have work.
    today = services.clock.local_today()
    for code, kind, n_hist, n_open in ((PROJECT, SubmitterKind.CADRE, 120, 30), (TALENT, SubmitterKind.TALENT, 80,
                                                                                 20)):
        desk = desks[code]
        dcats = list(desk.categories.all())
        rows = []
        for i in range(n_hist * scale + n_open * scale):
            lead = departments[rng.randrange(len(departments))]
            running = i >= n_hist * scale
            submitted = (today - dt.timedelta(days=rng.randint(1, 40))) if running else \
                dt.date(2024, 1, 8) + dt.timedelta(days=rng.randint(0, 650))
            cat = dcats[i % len(dcats)]
            rows.append(_history_row(
                rng, desk=desk, category=cat, title=f"{desk.name}：{cat.name}事项{i + 1}",
                description=f"{cat.name}方面的难题，需要{lead.name}协调解决。", lead_unit=lead,
                owner=leaders.get(lead.pk), submitted=submitted, days_to_resolve=rng.randint(3, 25),
                state=State.IN_PROGRESS if running else State.CLOSED, submitter_kind=kind))
        services.case_bulk_history(desk=desk, rows=rows, actor=actor)
        counts[f"{code}_cases"] = len(rows)
    counts["escalated"] = services.case_sweep(actor=actor)["escalated"]
    return counts
