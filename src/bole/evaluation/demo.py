"""Demo data: the 雄鹰擂台赛 of 20 village secretaries (7 judges, scored and published) and a 360° 民主测评, in one
county of the demo city (吴兴区) when given one."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from bole.org import services as org_services
from bole.org.demo import county_org_unit, make_id_number
from bole.org.models import Person, Unit, id_number_digest

from . import services
from .models import BallotToken

CONTEST_CRITERIA = ["党建引领", "文旅融合", "千万工程", "现场表现", "答辩"]
BALLOT_CRITERIA = ["德", "能", "勤", "绩", "廉"]
# 360°: leaders 5 (weight .4), peers 15 (.3), subordinates 30 (.2), public 20 (.1)
GROUPS = [("leader", 0.4, 5), ("peer", 0.3, 15), ("subordinate", 0.2, 30), ("public", 0.1, 20)]
SURNAMES = "沈陆姚钱莫金施胡吴俞"
GIVEN = "建国卫东海明志强晓燕丽萍国庆伟民"


def _secretaries(rng: random.Random, actor, n: int = 20, area: str = "") -> list[Person]:
    """One 党组织书记 per village/community unit (of the county `area` when given); created in the register where a
    unit has none."""
    chosen: list[Person] = []
    seen_units: set[int] = set()
    for p in Person.objects.filter(unit__kind="village", position="党组织书记", is_active=True,
                                   unit__region__code__startswith=area).select_related(
        "unit"
    ).order_by("unit__path", "id"):
        if p.unit_id not in seen_units:
            chosen.append(p)
            seen_units.add(p.unit_id)
        if len(chosen) == n:
            return chosen
    units = list(Unit.objects.filter(kind="village", is_active=True, region__code__startswith=area)
                 .exclude(pk__in=seen_units).order_by("path"))
    i = 0
    while len(chosen) < n and units:
        unit = units[i % len(units)]
        while True:
            idn = make_id_number(rng, area[:6] or "330521", dt.date(1975 + rng.randint(0, 15), rng.randint(1, 12),
                                                        rng.randint(1, 28)), rng.random() < 0.7)
            if not Person.objects.filter(id_digest=id_number_digest(idn)).exists():
                break
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        chosen.append(org_services.person_create(actor=actor, name=name, id_number=idn, unit=unit,
                                                 position="党组织书记", political_status="cpc"))
        i += 1
    return chosen


def _judge_accounts(actor, password: str, n: int = 7, area: str = "") -> list:
    """Seven judge accounts, each tied to a person in a county department (for the 回避 rule)."""
    User = get_user_model()
    people = list(
        Person.objects.filter(unit__kind__in=["party", "department"], is_active=True, is_section_leader=True,
                              unit__region__code__startswith=area)
        .select_related("unit").order_by("unit__path", "id")
    )
    picked, units = [], set()
    for p in people:
        if p.unit_id not in units:
            picked.append(p)
            units.add(p.unit_id)
        if len(picked) == n:
            break
    users = []
    for i in range(n):
        username = f"judge{i + 1:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            person = picked[i] if i < len(picked) else None
            user = org_services.account_create(
                username=username, role="judge", password=password, actor=actor,
                scope=person.id_number if person else "", full_name=person.name if person else f"评委{i + 1}")
        users.append(user)
    return users


def _contest(rng: random.Random, actor, password: str, area: str = "") -> tuple[int, int]:
    secretaries = _secretaries(rng, actor, area=area)
    judge_users = _judge_accounts(actor, password, area=area)
    org_unit = county_org_unit(area)
    ev = services.evaluation_create(
        actor=actor, name=f"2024年{org_unit.region.name if org_unit else ''}雄鹰擂台赛（村社书记）", kind="contest",
        subject_kind="person", unit=org_unit,
        description="20 名村（社区）党组织书记同台比拼，7 名评委现场打分，评委宽严校正后排名。",
    )
    criteria = [services.criterion_add(evaluation=ev, name=n, max_score=20, weight=1, actor=actor)
                for n in CONTEST_CRITERIA]
    subjects = [services.subject_add(evaluation=ev, person=p, actor=actor) for p in secretaries]
    seats = [services.judge_add(evaluation=ev, user=u, actor=actor) for u in judge_users]
    services.evaluation_transition(evaluation=ev, to="open", actor=actor)
    ability = [rng.gauss(0, 1) for _s in subjects]
    crit_shift = [rng.gauss(0, 0.6) for _c in criteria]
    severity = [rng.gauss(0, 0.9) for _j in seats]
    friend = (2, 5)  # judge 3 is generous to contestant 6: the bias flag should find it
    n_scores = 0
    for j, (seat, user) in enumerate(zip(seats, judge_users, strict=True)):
        for s, subject in enumerate(subjects):
            if not services.judge_may_score(seat, subject):
                continue
            bonus = 3.0 if (j, s) == friend else 0.0
            scores = {}
            for c, crit in enumerate(criteria):
                raw = 14.5 + 2.0 * ability[s] + crit_shift[c] + severity[j] + bonus + rng.gauss(0, 0.9)
                scores[crit.pk] = min(20.0, max(0.0, round(raw * 2) / 2))
            services.judge_scores_save(seat=seat, subject=subject, scores=scores, actor=user)
            n_scores += len(scores)
        services.judge_submit(seat=seat, actor=user)
    for subject in subjects:
        services.subject_reveal(subject=subject, revealed=True, actor=actor)
    services.evaluation_transition(evaluation=ev, to="closed", actor=actor)
    services.evaluation_transition(evaluation=ev, to="published", actor=actor)
    return n_scores, len(seats)


def _ballots(rng: random.Random, actor, area: str = "") -> int:
    """A 360° 民主测评 of the section-level leaders of the unit that has most of them."""
    units = {}
    for p in Person.objects.filter(is_section_leader=True, is_active=True, unit__region__code__startswith=area
                                   ).select_related("unit").order_by("id"):
        units.setdefault(p.unit_id, []).append(p)
    if not units:
        return 0
    people = max(units.values(), key=len)[:8]
    unit = people[0].unit
    ev = services.evaluation_create(
        actor=actor, name=f"2024年度{unit.short_name or unit.name}科级领导干部民主测评", kind="ballot", unit=unit,
        description="领导、同事、下属、群众四类测评人匿名打分，按 4:3:2:1 加权。",
    )
    criteria = [services.criterion_add(evaluation=ev, name=n, max_score=10, weight=2 if n == "绩" else 1, actor=actor)
                for n in BALLOT_CRITERIA]
    groups = [services.rater_group_add(evaluation=ev, code=code, weight=w, expected_count=n, actor=actor)
              for code, w, n in GROUPS]
    subjects = [services.subject_add(evaluation=ev, person=p, actor=actor) for p in people]
    for g in groups:
        services.tokens_issue(evaluation=ev, group=g, count=g.expected_count, actor=actor)
    services.evaluation_transition(evaluation=ev, to="open", actor=actor)
    quality = [rng.gauss(0, 1) for _s in subjects]
    top = sorted(range(len(subjects)), key=lambda i: -quality[i])[:1]
    friend = min(range(len(subjects)), key=lambda i: quality[i])
    n_ballots = 0
    for g in groups:
        tokens = list(BallotToken.objects.filter(evaluation=ev, group=g).order_by("id").values_list("token", flat=True))
        turnout = tokens[: max(1, round(len(tokens) * (0.8 + 0.2 * rng.random())))]
        for b, token in enumerate(turnout):
            bloc = g.code == "peer" and b < 6  # six peers push one colleague up and the best one down
            lenience = rng.gauss(0, 0.6)
            answers = {}
            for s, subject in enumerate(subjects):
                know = g.code != "public" or rng.random() < 0.8
                for crit in criteria:
                    if not know:
                        answers[(subject.pk, crit.pk)] = None
                        continue
                    v = 7.6 + 1.0 * quality[s] + lenience + rng.gauss(0, 0.7)
                    if bloc and s == friend:
                        v = 10
                    elif bloc and s in top:
                        v = 4
                    answers[(subject.pk, crit.pk)] = float(min(10, max(0, round(v))))
            services.ballot_submit(token=token, answers=answers)
            n_ballots += 1
    services.evaluation_transition(evaluation=ev, to="closed", actor=actor)
    services.evaluation_transition(evaluation=ev, to="published", actor=actor)
    return n_ballots


def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Deterministic for a given seed; built through the services like real use. `county` (a county's region
    code): contestants, judges and rated leaders from that county, run by its Organization Department."""
    rng = random.Random(seed * 31 + 3)
    area = county or ""
    n_scores, n_judges = _contest(rng, actor, password, area)
    n_ballots = _ballots(rng, actor, area)
    return {"evaluations": 2, "evaluation_judges": n_judges, "evaluation_judge_scores": n_scores,
            "evaluation_ballots": n_ballots}
