"""Demo records of 强村六式: every administrative village of the county with three full years of figures and this
year's monthly operating income to October, imported through the towns' sheets; the four pilot villages with their
operation teams; the index computed for each year.

强村局长: every village whose last full year was under 70万元 (or that fell two years running) is paired with a
section-level leader of a county department for 2025–2027, with visits, actions and a problem raised to the 强村难题
desk (accepted and assigned to the head's department; some solved). The teams' 2026 year-end review is a review
panel of the evaluation engine, scored by five judge logins (the demo's judge01…) and closed. The honours of 2024
and 2025 come from the stored index; a 强村论坛 (autumn 2025, the pilots and the villages under 70万) and the 2026
强村大会 (honouring 2025).

上杨村 reaches 169万元 by October and every village's projected year-end clears 70万元 (a few were under it last
year and two fell two years running: the red list)."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from bole.cases import services as case_services
from bole.cases.choices import Action
from bole.core.scoping import JUDGE, logins_where
from bole.evaluation import services as ev_services
from bole.org.models import Person, Region

from . import events, review, services
from .choices import EventKind, LogKind
from .defaults import indicators_ensure
from .models import OPERATING_INCOME

VISITS = ["走访村两委，了解集体经济发展思路", "实地查看闲置农房和土地流转情况", "召开村民代表座谈会，听取意见建议",
          "对接部门政策，梳理可申报项目"]
ACTIONS = ["协调落实强村项目资金", "牵线运营企业洽谈合作", "帮助村里理清集体资产台账", "组织农产品进机关食堂"]
PROBLEMS = [("村级物业用房用地指标难落实", "项目用地"), ("闲置资产盘活缺少启动资金", "资金政策"),
            ("村道拓宽涉及多部门审批", "基础设施"), ("农产品品牌缺少冷链仓储", "产业发展")]

# The four pilot villages (named in the article 莫干山镇勤勤村, 钟管镇曲溪村, 下渚湖街道上杨村, 新市镇宋市村), found by
# name among the county's villages (the demo register places 上杨村 in 阜溪街道).
PILOTS = {"勤勤村": "莫干山乡创运营有限公司", "曲溪村": "曲溪文旅运营有限公司", "上杨村": "德清乡村运营管理有限公司",
          "宋市村": "新市古镇乡村运营有限公司"}
FULL_YEARS = (2023, 2024, 2025)
CURRENT = 2026
MONTHS = 10  # monthly figures to October
SHANGYANG_OCTOBER = 169.0


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name[:31])
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def seed(*, scale: int = 1, seed: int = 2024, actor=None, password: str = "bole-demo-2024",
         county: str | None = None) -> dict[str, int]:
    rng = random.Random(seed + 16)
    inds = indicators_ensure(actor=actor)
    area = county or ""
    villages = list(Region.objects.filter(level="village", kind="village", code__startswith=area, is_active=True)
                    .select_related("parent").order_by("code"))
    if not villages:
        return {}
    pilot_ids = {v.pk for v in villages if v.name in PILOTS}
    names = [i.name for i in inds]
    code_col = {i.code: k for k, i in enumerate(inds)}
    # Who falls short last year, who falls two years running.
    order = list(range(len(villages)))
    rng.shuffle(order)
    under = {villages[k].pk for k in order[:5] if villages[k].pk not in pilot_ids}
    falling = {villages[k].pk for k in order[5:7] if villages[k].pk not in pilot_ids}
    years: dict[int, dict[str, list[list]]] = {y: {} for y in FULL_YEARS}
    expected_now = {}
    for v in villages:
        strength = rng.gauss(0, 1) + (1.2 if v.pk in pilot_ids else 0)
        pop = rng.randint(1500, 4500)
        if v.pk in under:
            income = [rng.uniform(48, 58), rng.uniform(55, 62), rng.uniform(60, 68)]
        elif v.pk in falling:
            top = rng.uniform(110, 150)
            income = [top, top * 0.9, top * 0.82]
        else:
            base = max(75.0, 120 * 1.35 ** strength)
            income = [base, base * rng.uniform(1.03, 1.15), 0.0]
            income[2] = income[1] * rng.uniform(1.03, 1.15)
        if v.name == "上杨村" and v.pk in pilot_ids:
            income = [118.0, 136.0, 152.0]
        for k, year in enumerate(FULL_YEARS):
            oi = round(income[k], 1)
            row = [None] * len(inds)
            row[code_col[OPERATING_INCOME]] = oi
            row[code_col["total_income"]] = round(oi * rng.uniform(1.6, 2.4), 1)
            row[code_col["assets"]] = round(oi * rng.uniform(8, 14) + 300, 1)
            row[code_col["debt_ratio"]] = round(min(85, max(3, rng.gauss(28, 10) - 4 * strength)), 1)
            row[code_col["land_transferred"]] = round(max(50, rng.gauss(900, 350) + 200 * strength))
            row[code_col["visitors"]] = round(max(0.1, rng.gauss(6, 4) + 4 * strength + (8 if v.pk in pilot_ids else 0)), 1)
            row[code_col["projects"]] = max(0, round(rng.gauss(3, 1.5) + strength))
            row[code_col["population"]] = pop
            row[code_col["party_members"]] = round(pop * rng.uniform(0.05, 0.09))
            years[year].setdefault(v.parent.name, [["村", *names]]).append([v.name, *row])
        last = income[2]
        if v.pk in falling:
            expected_now[v.pk] = max(78.0, last * rng.uniform(0.95, 1.05))
        else:
            expected_now[v.pk] = max(last * rng.uniform(1.04, 1.18), rng.uniform(76, 84))
        if v.pk in pilot_ids:  # the article's figure is 上杨村's: the other pilots stay below it
            expected_now[v.pk] = min(expected_now[v.pk], 175.0)
    counts = {"village_values": 0, "monthly_incomes": 0}
    for year in FULL_YEARS:
        out = services.values_import(data=_workbook(years[year]), year=year, actor=actor)
        if out.issues:
            raise RuntimeError(out.issues[0].as_text())
        counts["village_values"] += out.created
    # This year's months to October, one row per village and month (the monthly shape).
    rows = [["镇街", "村", "月份", "累计经营性收入"]]
    for v in villages:
        total = expected_now[v.pk]
        october = SHANGYANG_OCTOBER if (v.name == "上杨村" and v.pk in pilot_ids) else total * MONTHS / 12
        acc = 0.0
        shares = [rng.uniform(0.7, 1.3) for _m in range(MONTHS)]
        for m in range(1, MONTHS + 1):
            acc = october * sum(shares[:m]) / sum(shares)
            rows.append([v.parent.name, v.name, m, round(acc, 1)])
    out = services.values_import(data=_workbook({"月度": rows}), year=CURRENT, actor=actor)
    if out.issues:
        raise RuntimeError(out.issues[0].as_text())
    counts["monthly_incomes"] = out.months
    # The pilots' operation teams and their monthly reports.
    teams = 0
    for v in villages:
        if v.pk not in pilot_ids:
            continue
        company = PILOTS[v.name]
        team = services.team_create(village=v, company=company, start=dt.date(2024, 3, 1), end=dt.date(2027, 2, 28),
                                    members="运营总监、策划、营销、财务 各1人", fee=30, income_target=150,
                                    is_pilot=True, actor=actor)
        teams += 1
        for m in range(1, MONTHS + 1):
            services.report_add(team=team, year=CURRENT, month=m, summary="运营月报：活动策划、农产品营销、民宿运营",
                                income=round(rng.uniform(3, 9), 1), actor=actor)
    county_region = Region.objects.filter(code=villages[0].code[:6]).first()
    runs = 0
    for year in FULL_YEARS:
        services.index_run(county=county_region, year=year, actor=actor,
                           parameters={"samples": 1000, "sobol_base": 128})
        runs += 1
    counts.update(_patrons(rng, villages=villages, under=under | falling, area=area, actor=actor))
    counts.update(_review(rng, county=county_region, actor=actor))
    counts.update(_events(villages=villages, pilots=pilot_ids, county=county_region, actor=actor))
    return {**counts, "operation_teams": teams, "index_runs": runs}


def _patrons(rng: random.Random, *, villages, under: set[int], area: str, actor) -> dict[str, int]:
    """Pair heads of county departments with the villages under 70万, log their visits, raise problems."""
    heads = list(Person.objects.filter(is_section_leader=True, is_active=True, unit__kind="department",
                                       unit__region__code__startswith=area[:6]).select_related("unit")
                 .order_by("unit_id", "id"))
    by_unit: dict[int, Person] = {}
    for p in heads:
        by_unit.setdefault(p.unit_id, p)
    heads = list(by_unit.values())
    if not heads:
        return {}
    desk = services.problem_desk_ensure(actor=actor)
    cats = {c.name: c for c in desk.categories.all()}
    today = services.selectors.local_today()
    pairs = logs = problems = 0
    for k, v in enumerate(x for x in villages if x.pk in under):
        head = heads[k % len(heads)]
        patron = services.patron_pair(village=v, person=head, start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31),
                                      actor=actor)
        pairs += 1
        for j in range(rng.randint(2, 4)):
            kind = LogKind.VISIT if j % 2 == 0 else LogKind.ACTION
            text = rng.choice(VISITS if kind == LogKind.VISIT else ACTIONS)
            services.patron_log(patron=patron, kind=kind, on=today - dt.timedelta(days=30 * (j + 1) + rng.randint(0, 20)),
                                summary=text, actor=actor)
            logs += 1
        title, cat = PROBLEMS[k % len(PROBLEMS)]
        entry = services.patron_problem_raise(patron=patron, title=f"{v.name}{title}", category=cats.get(cat),
                                              description=f"{head.unit.name}{head.name}走访{v.name}时发现：{title}，"
                                                          "需要县级部门协调解决。", actor=actor,
                                              on=today - dt.timedelta(days=20))
        problems += 1
        case = case_services.case_transition(case=entry.case, action=Action.ACCEPT, actor=actor)
        case = case_services.case_transition(case=case, action=Action.ASSIGN, actor=actor, lead_unit=head.unit)
        if k % 2 == 0:
            case = case_services.case_transition(case=case, action=Action.START, actor=actor)
    return {"village_patrons": pairs, "patron_logs": logs, "patron_problems": problems}


def _review(rng: random.Random, *, county, actor) -> dict[str, int]:
    """The teams' 2026 year-end review: a review panel of the county's judge logins, scored and closed."""
    judges = list(get_user_model().objects.filter(logins_where(JUDGE), is_active=True).order_by("username")[:5])
    if len(judges) < 3:
        return {}
    rv = review.team_review_create(county=county, year=CURRENT, actor=actor)
    ev = rv.evaluation
    seats = [ev_services.judge_add(evaluation=ev, user=u, actor=actor) for u in judges]
    ev_services.evaluation_transition(evaluation=ev, to="open", actor=actor)
    criteria = list(ev.criteria.all())
    subjects = list(ev.subjects.all())
    merit = {s.pk: rng.gauss(0, 1) for s in subjects}
    for seat, user in zip(seats, judges, strict=True):
        severity = rng.gauss(0, 0.5)
        for s in subjects:
            level = 0.78 + 0.07 * merit[s.pk] + 0.03 * severity
            ev_services.judge_scores_save(seat=seat, subject=s, actor=user, scores={
                c.pk: min(c.max_score, max(0.0, round(c.max_score * (level + rng.gauss(0, 0.03)), 1)))
                for c in criteria})
        ev_services.judge_submit(seat=seat, actor=user)
    review.review_close(review=rv, actor=actor)
    return {"team_reviews": 1}


def _events(*, villages, pilots: set[int], county, actor) -> dict[str, int]:
    """A 强村论坛 on the operation teams and the 强村大会 that announces last year's honours."""
    n = sum(len(events.honours_compute(county=county, year=y, actor=actor)) for y in FULL_YEARS[1:])
    heads = Person.objects.filter(village_patronages__is_active=True).distinct().order_by("id")
    paired = set(Person.objects.filter(village_patronages__is_active=True)
                 .values_list("village_patronages__village_id", flat=True))
    forum = events.event_create(
        county=county, kind=EventKind.FORUM, title="强村论坛：乡村运营与村集体经济增收", on=dt.date(2025, 10, 18),
        place="莫干山镇勤勤村文化礼堂", actor=actor,
        agenda=["运营试点村交流发言（勤勤村、曲溪村、上杨村、宋市村）", "运营团队负责人分享", "专家点评", "县农业农村局部署下步工作"],
        villages=[v for v in villages if v.pk in pilots or v.pk in paired],
        people=list(heads))
    top = {h.village_id for h in events.honours(user=actor).filter(year=FULL_YEARS[-1])}
    assembly = events.event_create(
        county=county, kind=EventKind.ASSEMBLY, title=f"{CURRENT}年强村大会", on=dt.date(CURRENT, 2, 26),
        place="县行政中心大会堂", actor=actor,
        agenda=["通报2025年度强村指数", "表彰强村指数前列和进步最快的村", "强村局长代表发言", "部署2026年强村工作"],
        villages=[v for v in villages if v.pk in top], people=list(heads))
    return {"village_honours": n, "village_events": 2 if forum and assembly else 0}
