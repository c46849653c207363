"""Demo challenge board: 21 cadres holding challenges on 项目招引 / 专项债争取 / 全域土地整治, built via services, in one
county of the demo city (吴兴区) when given one."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from bole.evaluation import services as ev_services

from . import services

# Each field's publisher: the county department whose short name ends so (县商务局, 区商务局, …).
TOPICS = {
    "investment": ("商务局", [
        "引进总投资 10 亿元以上先进制造业项目", "招引地理信息产业链龙头企业落户", "引进生物医药研发中心一个",
        "盘活闲置工业厂房 200 亩并招引新项目", "引进总部经济项目两个", "招引新能源装备项目落地高新区",
        "引进文旅综合体项目一个", "招引专精特新“小巨人”企业三家", "引进数字经济项目落户科技新城",
    ]),
    "bonds": ("财政局", [
        "争取专项债额度 5 亿元用于城市更新", "争取专项债支持水利防洪工程", "争取超长期特别国债项目两个",
        "争取专项债支持老旧小区改造", "争取中央预算内投资 8000 万元", "争取专项债支持未来社区建设",
    ]),
    "land": ("自然资源局", [
        "完成全域土地整治项目 1200 亩", "新增耕地 300 亩并通过省级验收", "推进零星农用地集中连片整治",
        "完成低效工业用地再开发 500 亩", "完成永久基本农田集中连片整治", "完成城乡建设用地增减挂钩 200 亩",
    ]),
}
# (status reached, team size) for the 18 held challenges: 15 single holders + 3 teams of two = 21 cadres.
PLAN = (["accepted"] * 9 + ["in_progress"] * 5 + ["delivered"] * 2 + ["failed"] + ["withdrawn"])
TEAMS = {2, 7, 11}


def seed(*, scale: int = 1, seed: int = 2024, actor, password: str, county: str | None = None) -> dict[str, int]:
    """Deterministic for a seed (dates of the open challenges follow today so the board is never empty).
    `county` (a county's region code): publishers and cadres from that county's departments."""
    from bole.org.models import Person, Unit

    from .models import Challenge, ChallengeHolder

    if Challenge.objects.exists():
        return {"challenges": Challenge.objects.count(),
                "challenge_holders": ChallengeHolder.objects.values("person_id").distinct().count()}
    rng = random.Random(seed + 61)
    area = county or ""
    cadres = list(Person.objects.filter(is_cadre=True, is_active=True, unit__kind__in=["department", "party"],
                                        unit__region__code__startswith=area)
                  .order_by("id").values_list("id", flat=True)[:4000])
    pool = rng.sample(cadres, min(len(cadres), 80))
    people = {p.pk: p for p in Person.objects.filter(pk__in=pool)}
    holders_pool, panel_pool, others = pool[:21], pool[21:41], pool[41:]
    units = list(Unit.objects.filter(kind__in=["department", "party"], region__code__startswith=area).order_by("id"))

    def publisher(field: str) -> Unit:
        return next((u for u in units if (u.short_name or u.name).endswith(TOPICS[field][0])), units[0])

    titles = [(f, t) for f, (_u, ts) in TOPICS.items() for t in ts]
    rng.shuffle(titles)
    start = dt.date(2024, 1, 8)
    made = 0
    h = 0
    for i, state in enumerate(PLAN):
        field, title = titles[i]
        unit = publisher(field)
        opened = start + dt.timedelta(days=14 * i)
        team = i in TEAMS
        n_ms = 2 + (i % 2)
        per_ms = i % 3 == 0
        points = 10 if per_ms else [5, 8][i % 2]
        ms = [{"title": name, "due_date": opened + dt.timedelta(days=45 * (k + 1)),
               "points": (2 if per_ms else 0)} for k, name in enumerate(["方案论证", "关键节点攻坚", "成果交付"][:n_ms])]
        ch = services.challenge_create(
            actor=actor, publisher_unit=unit, title=title, field=field, goal=f"{title}，形成可复制的工作经验。",
            criteria="以主管部门出具的书面材料和现场核验为准", apply_until=opened + dt.timedelta(days=10),
            deadline=opened + dt.timedelta(days=45 * n_ms + 30), incentive_points=points,
            incentive_text="表现突出者同等条件下优先提拔使用", pay_per_milestone=per_ms, team_allowed=team,
            milestones=ms)
        services.challenge_transition(challenge=ch, to="published", actor=actor, on=opened)
        lead = people[holders_pool[h]]
        members = [people[holders_pool[h + 1]]] if team else []
        h += 1 + len(members)
        app = services.challenge_apply(challenge=ch, person=lead, plan=f"成立攻坚小组，分{n_ms}步推进：{title}。",
                                       members=members, actor=actor, on=opened + dt.timedelta(days=2))
        for pid in rng.sample(others, 2):
            services.challenge_apply(challenge=ch, person=people[pid], plan="结合本人分管工作推进。", actor=actor,
                                     on=opened + dt.timedelta(days=3))
        services.application_transition(application=app, to="shortlisted", actor=actor)
        services.challenge_award(challenge=ch, applications=[app], actor=actor, on=opened + dt.timedelta(days=11))
        seats = [services.panel_member_add(challenge=ch, person=people[pid], is_chair=k == 0, actor=actor)
                 for k, pid in enumerate(rng.sample(panel_pool, 3))]
        if i % 5 == 1:
            ev_services.judge_conflict_declare(seat=seats[-1], reason="与挂帅人系同一科室", actor=actor)
        milestones = list(ch.milestones.order_by("sort"))
        n_done = {"accepted": n_ms, "delivered": n_ms, "in_progress": 1, "failed": 1, "withdrawn": 0}[state]
        for k, m in enumerate(milestones):
            if k >= n_done and state != "delivered":
                break
            late = rng.random() < 0.2
            day = m.due_date + dt.timedelta(days=rng.randint(1, 9) if late else -rng.randint(0, 10))
            services.progress_report(challenge=ch, author=lead, milestone=m, for_acceptance=True, actor=actor,
                                     text=f"{m.title}已完成，相关材料已报送。", on=day)
            if state == "delivered" and k == n_ms - 1:
                break
            m.refresh_from_db()
            for seat in seats:
                seat.refresh_from_db()
                if not seat.conflicted:
                    services.milestone_signoff(milestone=m, seat=seat, verdict="pass", actor=actor,
                                               opinion="材料齐全，同意通过")
            services.milestone_transition(milestone=m, to="accepted", actor=actor, on=day + dt.timedelta(days=4))
        final = ch.deadline - dt.timedelta(days=5)
        if state in {"accepted", "delivered"}:
            services.challenge_transition(challenge=ch, to="delivered", actor=actor, on=final)
        if state == "accepted":
            services.challenge_transition(challenge=ch, to="accepted", actor=actor, on=final)
        if state == "failed":
            services.challenge_transition(challenge=ch, to="failed", closure="tolerated", actor=actor,
                                          note="受上级政策调整影响未能完成，经认定已尽职尽责，予以容错", on=final)
        if state == "withdrawn":
            services.challenge_transition(challenge=ch, to="withdrawn", closure="abandoned", actor=actor,
                                          note="揭榜人工作调动，主动放弃", on=final)
        made += 1
    # three challenges open for applications now, so the board has something to take
    today = timezone.localdate()
    for k, (field, title) in enumerate(titles[len(PLAN):len(PLAN) + 3]):
        unit = publisher(field)
        ch = services.challenge_create(
            actor=actor, publisher_unit=unit, title=title, field=field, goal=f"{title}。",
            criteria="以主管部门出具的书面材料为准", apply_until=today + dt.timedelta(days=20 + 5 * k),
            deadline=today + dt.timedelta(days=200), incentive_points=8, incentive_text="优先推荐评优评先",
            team_allowed=k == 0, milestones=[{"title": "方案论证", "due_date": today + dt.timedelta(days=80)},
                                             {"title": "成果交付", "due_date": today + dt.timedelta(days=190)}])
        services.challenge_transition(challenge=ch, to="published", actor=actor)
        made += 1
    _demo_account(people[holders_pool[0]], password, actor)
    return {"challenges": made,
            "challenge_holders": ChallengeHolder.objects.values("person_id").distinct().count()}


def _demo_account(person, password: str, actor) -> None:
    """A login for the first holder (jiebang) to show a cadre's side of the board."""
    from django.contrib.auth import get_user_model

    from bole.org.services import account_create

    if not get_user_model().objects.filter(username="jiebang").exists():
        account_create(username="jiebang", role="cadre", scope=person.id_number, password=password,
                       full_name=person.name, actor=actor)
