"""Demo records of 强村六式: every administrative village of the county with three full years of figures and this
year's monthly operating income to October, imported through the towns' sheets; the four pilot villages with their
operation teams; the index computed for each year.

上杨村 reaches 169万元 by October and every village's projected year-end clears 70万元 (a few were under it last
year and two fell two years running: the red list)."""

from __future__ import annotations

import datetime as dt
import io
import random

from openpyxl import Workbook

from bole.org.models import Region

from . import services
from .defaults import indicators_ensure
from .models import OPERATING_INCOME

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
    return {**counts, "operation_teams": teams, "index_runs": runs}
