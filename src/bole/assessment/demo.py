"""Demo: the 奔跑赶超 scheme (单位综合考评 30 / 个人任务完成率 30 / 干部群众多维评议 30 / four kinds of points 10:
seven indicators where the version it replaced had eighteen) for the section-level leaders, quarterly 2024Q1–Q4,
with a real 多维评议 per quarter, computed and published; in one county of the demo city (吴兴区) when given one."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from bole.core import periods
from bole.ledger import services as ledger
from bole.ledger.choices import CapPeriod
from bole.ledger.models import PointCategory
from bole.org.demo import county_org_unit
from bole.org.models import Person, Unit

from . import services
from .models import Indicator, Scheme

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
CATEGORIES = [
    # code, name, cap, floor, cap period
    ("award", "表彰奖励", Decimal("6"), None, CapPeriod.YEAR),
    ("challenge", "揭榜挂帅", Decimal("5"), None, CapPeriod.QUARTER),
    ("frontline", "一线考评", Decimal("5"), None, CapPeriod.QUARTER),
    ("lecture", "大讲堂授课", Decimal("2"), None, CapPeriod.QUARTER),
    ("penalty", "问责扣分", None, Decimal("-10"), CapPeriod.QUARTER),
]
REASONS = {
    "award": ["获评季度担当之星", "所办项目获市级表彰", "信访化解获县委通报表扬"],
    "challenge": ["揭榜“园区低效用地整治”并通过验收", "揭榜“营商环境堵点破解”并通过验收"],
    "frontline": ["领办重点项目节点按期完成", "一线破解项目难题"],
    "lecture": ["干部大讲堂授课"],
    "penalty": ["重点工作推进滞后被督查通报", "信访件超期办理"],
}
_GROUPS = [("leader", 0.4, 3), ("peer", 0.3, 6), ("subordinate", 0.2, 6), ("public", 0.1, 3)]


def _categories(actor) -> dict[str, PointCategory]:
    out = {}
    for code, name, cap, floor, per in CATEGORIES:
        cat = PointCategory.objects.filter(code=code).first()
        out[code] = cat or ledger.point_category_create(actor=actor, code=code, name=name, cap=cap, floor=floor,
                                                        cap_period=per, auto_approve=code != "award")
    return out


# The version the scheme replaced: eighteen indicators, cut to the seven below (the mechanism's own simplification).
OLD_INDICATORS = ["党建工作", "经济发展", "项目推进", "招商引资", "安全生产", "信访维稳", "生态环境", "乡村振兴", "民生实事",
                  "作风建设", "廉政建设", "学习培训", "信息宣传", "创新工作", "群众满意度", "领导评价", "同事互评", "加减分"]


def _scheme(actor, cats, org_unit: Unit | None) -> Scheme:
    existing = Scheme.objects.filter(name="奔跑赶超积分制考核（科级领导干部）").first()
    if existing:
        return existing
    issuer = {"region": org_unit.region, "issuer": org_unit.name,
              "doc_prefix": f"{org_unit.region.name[0]}组通"} if org_unit else {}
    old = services.scheme_create(
        actor=actor, name="科级领导干部综合考核（2023年版）", target="section_leader", period_kind="quarter",
        grouping="rank_unit_kind", is_active=False, **issuer,
        indicators=[{"code": f"old{i + 1}", "name": name, "kind": "manual", "weight": 6 if i < 10 else 5,
                     "normalisation": "raw", "missing": "group_mean"} for i, name in enumerate(OLD_INDICATORS)])
    ledger_row = {"kind": "ledger", "normalisation": "minmax", "missing": "zero"}
    return services.scheme_create(
        actor=actor, name="奔跑赶超积分制考核（科级领导干部）", target="section_leader", period_kind="quarter", **issuer,
        grouping="rank_unit_kind", excellent_share=Decimal("0.15"), basic_threshold=Decimal("60"),
        tie_breakers=["unit", "rating"], replaces=old,
        indicators=[
            {"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": 30, "normalisation": "raw",
             "missing": "group_mean"},
            {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": 30, "normalisation": "raw",
             "missing": "group_mean"},
            {"code": "rating", "name": "干部群众多维评议", "kind": "evaluation", "weight": 30,
             "normalisation": "raw", "missing": "group_mean", "metric": "rating"},
            {"code": "award", "name": "表彰奖励", "weight": 2, "categories": [cats["award"]], **ledger_row},
            {"code": "challenge", "name": "揭榜挂帅", "weight": 3, "categories": [cats["challenge"]], **ledger_row},
            {"code": "frontline", "name": "一线考评与授课", "weight": 3,
             "categories": [cats["frontline"], cats["lecture"]], **ledger_row},
            {"code": "penalty", "name": "问责扣分", "weight": 2, "categories": [cats["penalty"]], **ledger_row},
        ],
    )


def _evaluation(rng, actor, period, people, quality, org_unit=None):
    """A quarter's 干部群众多维评议 of every leader: anonymous ballots by four weighted rater groups."""
    from bole.evaluation import services as ev_services
    from bole.evaluation.models import BallotToken

    ev = ev_services.evaluation_create(actor=actor, name=f"{period}科级领导干部干部群众多维评议", kind="ballot",
                                       unit=org_unit,
                                       description="领导、同事、下属、群众四类测评人匿名评议，按 4:3:2:1 加权。")
    crit = [ev_services.criterion_add(evaluation=ev, name=n, max_score=10, actor=actor) for n in ("德", "能", "勤", "绩", "廉")]
    groups = [ev_services.rater_group_add(evaluation=ev, code=c, weight=w, expected_count=n, actor=actor)
              for c, w, n in _GROUPS]
    subjects = [ev_services.subject_add(evaluation=ev, person=p, actor=actor) for p in people]
    for g in groups:
        ev_services.tokens_issue(evaluation=ev, group=g, count=g.expected_count, actor=actor)
    ev_services.evaluation_transition(evaluation=ev, to="open", actor=actor)
    n = 0
    for g in groups:
        for token in BallotToken.objects.filter(evaluation=ev, group=g).order_by("id").values_list("token", flat=True):
            lenience = rng.gauss(0, 0.4)
            answers = {}
            for s, subject in enumerate(subjects):
                for c in crit:
                    v = 8.0 + 0.8 * quality[s] + lenience + rng.gauss(0, 0.6)
                    answers[(subject.pk, c.pk)] = float(min(10, max(0, round(v))))
            ev_services.ballot_submit(token=token, answers=answers)
            n += 1
    ev_services.evaluation_transition(evaluation=ev, to="closed", actor=actor)
    return ev, n


def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    """Deterministic for a given seed; inputs, points and rounds all go through the services. `county` (a county's
    region code): the scheme assesses that county's leaders (`Scheme.region`), issued by its Organization
    Department."""
    from bole.org.services import account_create

    rng = random.Random(seed * 17 + 4)
    org_unit = county_org_unit(county)
    cats = _categories(actor)
    scheme = _scheme(actor, cats, org_unit)
    people = list(Person.objects.filter(is_section_leader=True, is_active=True,
                                        unit__region__code__startswith=county or "")
                  .select_related("unit").order_by("id"))
    units = sorted({p.unit_id for p in people})
    unit_strength = {u: rng.gauss(0, 1) for u in units}
    quality = [rng.gauss(0, 1) for _p in people]
    rating = Indicator.objects.get(scheme=scheme, code="rating")
    n_entries = n_ballots = 0
    rounds = []
    for qi, period in enumerate(QUARTERS):
        for u in Unit.objects.filter(pk__in=units).order_by("id"):
            score = 86 + 3 * unit_strength[u.pk] + rng.gauss(0, 1.5)
            services.unit_score_set(unit=u, period=period, score=round(min(99.5, max(70, score)), 2), actor=actor)
        tallies = []
        for i, p in enumerate(people):
            assigned = rng.randint(6, 14)
            done = min(assigned, max(0, round(assigned * (0.86 + 0.06 * quality[i] + rng.gauss(0, 0.05)))))
            tallies.append({"person": p, "period": period, "assigned": assigned, "completed": done})
        services.task_tallies_set_many(rows=tallies, actor=actor)
        rows = []
        for i, p in enumerate(people):
            drive = quality[i] + 0.3 * qi * (1 if i % 7 == 0 else 0)  # some leaders run to catch up (赶超)
            for code, chance, lo, hi in (("challenge", 0.10, 2, 5), ("frontline", 0.35, 1, 3),
                                         ("lecture", 0.08, 1, 2), ("award", 0.06, 2, 4), ("penalty", 0.05, -4, -1)):
                odds = chance * (1.6 if drive > 0.8 else 1.0) if code != "penalty" else chance * (2 if drive < -1 else 1)
                if rng.random() < odds:
                    rows.append({"person": p, "period": period, "category": cats[code], "points": rng.randint(lo, hi),
                                 "reason": rng.choice(REASONS[code])})
        n_entries += ledger.points_post_many(rows=rows, actor=actor, approved=True)
        ev, n = _evaluation(rng, actor, period, people, [q + 0.1 * qi * (i % 5 == 0) for i, q in enumerate(quality)],
                            org_unit)
        n_ballots += n
        rnd = services.round_create(scheme=scheme, period=period, actor=actor)
        services.round_link_evaluation(round=rnd, indicator=rating, evaluation=ev, actor=actor)
        for to in ("collecting", "computed"):
            rnd = services.round_transition(round=rnd, to=to, actor=actor)
        # Publicity a fortnight after the quarter, five days long; published the day after it ends.
        start = periods.dates(period)[1] + dt.timedelta(days=14)
        rnd = services.round_transition(round=rnd, to="publicity", actor=actor, on=start,
                                        publicity_until=start + dt.timedelta(days=5))
        rnd = services.round_transition(round=rnd, to="published", actor=actor, on=services.publish_from(rnd))
        rounds.append(rnd)
    for rnd in rounds[:2]:
        services.round_transition(round=rnd, to="frozen", actor=actor)
    User = get_user_model()
    if people and not User.objects.filter(username="ganbu").exists():
        account_create(username="ganbu", role="cadre", scope=people[0].id_number, password=password,
                       full_name=people[0].name, actor=actor)
    return {"assessment_rounds": len(rounds), "assessment_people": len(people), "ledger_entries": n_entries,
            "assessment_ballots": n_ballots}
