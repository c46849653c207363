"""Demo data of the awards: a round per quarter since 2024, each nominated by units, scored by a panel,
publicised (with an objection or two answered) and announced; the current quarter is taking nominations. In one county
of the demo city (德清县) when given one."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bole.core import periods
from bole.org.models import Person, Unit

from . import services
from .choices import NominationKind, NominationStatus, ObjectionStatus, RoundStatus
from .models import AwardRound, Honour, Nomination

DEEDS = [
    "牵头破解{x}难题，连续奋战三个月推动项目提前投产，群众和企业普遍认可。",
    "在{x}工作中主动担当、靠前指挥，化解矛盾纠纷 20 余起，实现零上访。",
    "聚焦{x}，创新工作方法，相关做法被省市推广，为全县发展作出突出贡献。",
    "面对{x}急难险重任务冲锋在前，带领专班攻坚克难，按期完成既定目标。",
]
FIELDS = ["项目招引", "征地拆迁", "防汛抗台", "营商环境", "乡村振兴", "基层治理", "专项债争取", "全域土地整治"]
TEAMS = ["{u}项目攻坚专班", "{u}防汛抢险突击队", "{u}营商环境服务队", "{u}征迁工作组"]


def _judges(actor, password: str, n: int = 3, area: str = "") -> list:
    """Judge accounts (the evaluation demo's when present), tied to people of county departments."""
    from bole.org.services import account_create

    User = get_user_model()
    users = []
    people = list(Person.objects.filter(unit__kind__in=["party", "department"], is_section_leader=True,
                                        unit__region__code__startswith=area)
                  .order_by("unit__path", "id"))
    seen_units: set[int] = set()
    picked = [p for p in people if not (p.unit_id in seen_units or seen_units.add(p.unit_id))]
    for i in range(n):
        username = f"judge{i + 1:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            person = picked[i] if i < len(picked) else None
            user = account_create(username=username, role="judge", password=password, actor=actor,
                                  scope=person.id_number if person else "",
                                  full_name=person.name if person else f"评委{i + 1}")
        users.append(user)
    return users


def _score_panel(rng, rnd: AwardRound, judges, actor) -> None:
    from bole.evaluation import services as ev

    evaluation = rnd.evaluation
    seats = [ev.judge_add(evaluation=evaluation, user=u, actor=actor) for u in judges]
    ev.evaluation_transition(evaluation=evaluation, to="open", actor=actor)
    criteria = list(evaluation.criteria.all())
    subjects = list(evaluation.subjects.all())
    merit = {s.pk: rng.gauss(0, 1) for s in subjects}
    for seat, user in zip(seats, judges, strict=True):
        severity = rng.gauss(0, 0.5)
        for s in subjects:
            if not ev.judge_may_score(seat, s):
                continue
            level = 0.8 + 0.07 * merit[s.pk] + 0.03 * severity
            scores = {c.pk: min(c.max_score, max(0.0, round(c.max_score * (level + rng.gauss(0, 0.03)), 1)))
                      for c in criteria}
            ev.judge_scores_save(seat=seat, subject=s, scores=scores, actor=user)
        ev.judge_submit(seat=seat, actor=user)


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Build the rounds since 2024Q1 through the services; deterministic for (scale, seed). `county` (a county's
    region code): nominations by its departments and towns."""
    rng = random.Random(seed + 11)
    area = county or ""
    judges = _judges(actor, password, area=area)
    units = list(Unit.objects.filter(kind__in=["department", "town"], region__code__startswith=area).order_by("id"))
    people_by_unit: dict[int, list[Person]] = {}
    for p in Person.objects.filter(is_cadre=True, is_active=True, unit__in=units).order_by("id"):
        people_by_unit.setdefault(p.unit_id, []).append(p)
    units = [u for u in units if len(people_by_unit.get(u.pk, [])) >= 3]
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    current = f"{year}Q{quarter}"
    quarters = [f"{y}Q{q}" for y in range(2024, year + 1) for q in range(1, 5) if f"{y}Q{q}" <= current]
    for period in quarters:
        if AwardRound.objects.filter(period=period).exists():
            continue
        end = periods.dates(period)[1]
        rnd = services.award_round_create(period=period, actor=actor, nominate_until=end - dt.timedelta(days=10),
                                          star_quota=8, team_quota=2)
        services.award_round_transition(round=rnd, to=RoundStatus.NOMINATING, actor=actor, today=end)
        picked_units = rng.sample(units, min(len(units), 12 * scale))
        for i, unit in enumerate(picked_units):
            staff = people_by_unit[unit.pk]
            deeds = rng.choice(DEEDS).format(x=rng.choice(FIELDS))
            if i % 4 == 3:
                services.nomination_create(round=rnd, kind=NominationKind.TEAM, unit=unit, deeds=deeds, actor=actor,
                                           team_name=rng.choice(TEAMS).format(u=unit.short_name or unit.name),
                                           members=rng.sample(staff, 3))
            else:
                services.nomination_create(round=rnd, kind=NominationKind.STAR, unit=unit, deeds=deeds, actor=actor,
                                           person=rng.choice(staff))
        if period == current:
            continue  # the current quarter is still taking nominations
        services.award_round_transition(round=rnd, to=RoundStatus.REVIEWING, actor=actor, today=end)
        rnd.refresh_from_db()
        _score_panel(rng, rnd, judges, actor)
        publicity = end + dt.timedelta(days=10)
        services.award_round_transition(round=rnd, to=RoundStatus.PUBLICITY, actor=actor, today=publicity)
        proposed = list(Nomination.objects.filter(round=rnd, status=NominationStatus.PROPOSED).order_by("rank"))
        if proposed and rng.random() < 0.5:
            target = proposed[-1]
            obj = services.objection_lodge(nomination=target, actor=actor, today=publicity,
                                           reason="反映该同志所述事迹中部分工作系集体完成，请核实。")
            upheld = rng.random() < 0.3
            services.objection_answer(
                objection=obj, actor=actor,
                outcome=ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
                answer="经核实，反映情况属实，取消其拟表彰资格。" if upheld else
                "经核实，该同志在相关工作中发挥了牵头作用，事迹属实，维持拟表彰。")
        services.award_round_transition(round=rnd, to=RoundStatus.ANNOUNCED, actor=actor,
                                        today=rnd.publicity_until + dt.timedelta(days=1))
    return {
        "award_rounds": AwardRound.objects.count(),
        "award_nominations": Nomination.objects.count(),
        "award_winners": Nomination.objects.filter(status=NominationStatus.AWARDED).count(),
        "award_honours": Honour.objects.count(),
    }
