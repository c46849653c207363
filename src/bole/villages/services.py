"""Writes of 强村六式: importing the towns' figures, computing the 强村指数, the operation teams, the 强村局长
pairings with their log and the problems they raise to the 强村难题 desk."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bole.cases import services as case_services
from bole.cases.choices import EscalationTarget, SubmitterKind
from bole.cases.models import Case, Category, Desk
from bole.cases.selectors import desk_categories
from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.excel import CellIssue
from bole.core.notices import site_language
from bole.core.records import record_create, record_update
from bole.core.unique import one_per
from bole.engines import index as engine
from bole.org.pickers import SECTION_LEADERS

from . import selectors
from .choices import LogKind
from .importers import parse_workbook
from .models import (
    IndexRun,
    IndexScore,
    Indicator,
    MonthlyIncome,
    MonthlyReport,
    OperationTeam,
    Patron,
    PatronLog,
    VillageValue,
)
from .permissions import policy

PROBLEM_DESK = "village-problem"  # 强村难题: the cases desk the heads' problems go to
# The units a 强村局长 may come from: the county's departments and offices, not towns or villages.
PATRON_UNIT_KINDS = ("party", "department", "institution", "soe")

DEFAULT_PARAMETERS: dict[str, Any] = {
    "imputation": "group_mean",
    "outlier": "winsorise",
    "normalisation": "minmax",
    "weighting": "manual",
    "aggregation": "arithmetic",
    # what the Monte-Carlo varies
    "normalisations": ["minmax", "zscore", "rank"],
    "aggregations": ["arithmetic", "geometric"],
    "weightings": ["manual", "equal", "entropy"],
    "outliers": ["none", "winsorise"],
    "imputations": ["group_mean", "mean"],
    "noise": 0.25,
    "samples": 2000,
    "sobol_base": 256,
    "level": 0.9,
    "seed": 2026,
}


@dataclass
class ImportOutcome:
    """What an import wrote, or why it wrote nothing."""

    issues: list[CellIssue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    months: int = 0
    villages: int = 0


@transaction.atomic
def values_import(*, data: bytes, year: int, actor) -> ImportOutcome:
    """Import a workbook of village figures for `year` (and monthly income to date for that year); nothing is
    written while any row has a problem. Each value created or changed gets its audit row."""
    policy.require(actor, "import")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度应在 2000–2100 之间")})
    indicators = list(Indicator.objects.filter(is_active=True))
    villages = list(selectors.village_regions(user=actor))
    towns = list(selectors.town_regions(user=actor))
    parsed = parse_workbook(data, indicators=indicators, villages=villages, towns=towns)
    out = ImportOutcome(issues=parsed.issues)
    if parsed.issues:
        return out
    by_id = {v.pk: v for v in villages}
    ind_by_id = {i.pk: i for i in indicators}
    existing = {(v.village_id, v.indicator_id): v for v in
                VillageValue.objects.filter(year=year, village_id__in=parsed.villages)}
    events, new, changed = [], [], []
    for (vid, iid), value in parsed.values.items():
        old = existing.get((vid, iid))
        if old is None:
            new.append(VillageValue(village=by_id[vid], indicator=ind_by_id[iid], year=year, value=value))
        elif old.value != value:
            events.append(audit_build(actor=actor, action=AuditAction.UPDATE, obj=_named(old, by_id, ind_by_id),
                                      changes={"value": [old.value, value]}))
            old.value = value
            changed.append(old)
        else:
            out.unchanged += 1
    VillageValue.objects.bulk_create(new, batch_size=2000)
    VillageValue.objects.bulk_update(changed, ["value", "imported_at"], batch_size=2000)
    events += [audit_build(actor=actor, action=AuditAction.IMPORT, obj=o,
                           changes={"year": [None, year], "value": [None, o.value]}) for o in new]
    months_old = {(m.village_id, m.month): m for m in
                  MonthlyIncome.objects.filter(year=year, village_id__in=parsed.villages)}
    new_m, changed_m = [], []
    for (vid, month), amount in parsed.monthly.items():
        old = months_old.get((vid, month))
        if old is None:
            new_m.append(MonthlyIncome(village=by_id[vid], year=year, month=month, to_date=amount))
        elif old.to_date != amount:
            old.village = by_id[vid]
            events.append(audit_build(actor=actor, action=AuditAction.UPDATE, obj=old,
                                      changes={"to_date": [old.to_date, amount]}))
            old.to_date = amount
            changed_m.append(old)
    MonthlyIncome.objects.bulk_create(new_m, batch_size=2000)
    MonthlyIncome.objects.bulk_update(changed_m, ["to_date"], batch_size=2000)
    events += [audit_build(actor=actor, action=AuditAction.IMPORT, obj=o, changes={"to_date": [None, o.to_date]})
               for o in new_m]
    audit_bulk(events)
    out.created, out.updated, out.months, out.villages = len(new), len(changed), len(new_m) + len(changed_m), \
        len(parsed.villages)
    return out


def _named(obj: VillageValue, villages: dict, indicators: dict) -> VillageValue:
    obj.village = villages[obj.village_id]
    obj.indicator = indicators[obj.indicator_id]
    return obj


def _parameters(given: dict | None) -> dict[str, Any]:
    params = {**DEFAULT_PARAMETERS, **(given or {})}
    checks = {
        "imputation": engine.IMPUTATIONS, "outlier": engine.OUTLIERS, "normalisation": engine.NORMALISATIONS,
        "weighting": engine.WEIGHTINGS, "aggregation": engine.AGGREGATIONS,
    }
    errors = {}
    for key, allowed in checks.items():
        if params[key] not in allowed:
            errors[key] = _("不支持的选项：%(v)s") % {"v": params[key]}
        plural = f"{key}s"
        if not params[plural] or any(v not in allowed for v in params[plural]):
            errors[plural] = _("包含不支持的选项")
    if not 100 <= int(params["samples"]) <= 20000:
        errors["samples"] = _("抽样次数应在 100–20000 之间")
    if not 0 <= float(params["noise"]) <= 0.9:
        errors["noise"] = _("权重扰动应在 0–0.9 之间")
    if not 0.5 <= float(params["level"]) < 1:
        errors["level"] = _("区间水平应在 0.5–1 之间")
    if errors:
        raise ValidationError(errors)
    return params


@transaction.atomic
def index_run(*, county, year: int, actor, parameters: dict | None = None) -> IndexRun:
    """Compute the 强村指数 of a county's villages for one year and store it with the engine's version and
    parameters: scores, ranks, 90% rank intervals, contributions, Sobol indices, leave-one-out shifts."""
    policy.require(actor, "manage")
    if not selectors.county_in_reach(user=actor, county=county):
        raise PermissionDenied
    params = _parameters(parameters)
    frame = selectors.index_frame(county=county, year=year)
    if frame.villages.size < 3 or not frame.indicators:
        raise ValidationError(_("%(year)s 年至少需要 3 个村的数据才能计算指数") % {"year": year})
    t0 = time.perf_counter()
    nominal = engine.Choice(imputation=params["imputation"], outlier=params["outlier"],
                            normalisation=params["normalisation"], weighting=params["weighting"],
                            aggregation=params["aggregation"])
    specs = frame.specs
    ok = _usable_normalisations(specs)
    alt = {k: [v for v in params[k] if k != "normalisations" or v in ok] or [getattr(nominal, k[:-1])]
           for k in ("imputations", "outliers", "normalisations", "aggregations", "weightings")}
    for k in alt:  # the nominal choice is always among the alternatives, first
        nom = getattr(nominal, k[:-1])
        alt[k] = [nom, *[v for v in alt[k] if v != nom]]
    result = engine.build(frame.data, specs, nominal, frame.groups)
    space = engine._space(frame.data, specs, frame.groups, noise=float(params["noise"]), **alt)
    unc = engine.uncertainty(frame.data, specs, nominal=nominal, samples=int(params["samples"]),
                             level=float(params["level"]), seed=int(params["seed"]), space=space)
    sens = engine.sensitivity(frame.data, specs, nominal=nominal, n_base=int(params["sobol_base"]),
                              seed=int(params["seed"]) + 1, space=space)
    loo = engine.leave_one_out(frame.data, specs, nominal, frame.groups)
    seconds = time.perf_counter() - t0
    run = IndexRun.objects.create(
        county=county, year=year, engine_version=engine.ENGINE_VERSION, created_by=actor,
        parameters={**params, **{k: v for k, v in alt.items()}, "indicators": [i.code for i in frame.indicators],
                    "weights": [round(float(w), 6) for w in result.weights]},
        sensitivity={"factors": sens.factors, "first": [round(float(x), 4) for x in sens.first],
                     "total": [round(float(x), 4) for x in sens.total], "mean_shift": round(sens.mean_shift, 3),
                     "evaluations": sens.evaluations},
        leave_one_out={i.code: round(float(s), 3) for i, s in zip(frame.indicators, loo.mean_shift, strict=True)},
        villages=int(frame.villages.size), seconds=round(seconds, 3),
    )
    codes = [i.code for i in frame.indicators]
    rows = []
    for k, vid in enumerate(frame.villages.tolist()):
        rows.append(IndexScore(
            run=run, village_id=vid, score=round(float(result.scores[k]), 4), rank=int(result.ranks[k]),
            rank_low=int(unc.lower[k]), rank_high=int(unc.upper[k]), rank_median=int(unc.median[k]),
            contributions={c: _num(result.contributions[k, j]) for j, c in enumerate(codes)},
            normalised={c: _num(result.normalised[k, j]) for j, c in enumerate(codes)},
            flags={"imputed": [c for j, c in enumerate(codes) if result.imputed[k, j]],
                   "winsorised": [c for j, c in enumerate(codes) if result.winsorised[k, j]]},
        ))
    IndexScore.objects.bulk_create(rows, batch_size=2000)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=run,
                 changes={"year": [None, year], "engine_version": [None, run.engine_version],
                          "villages": [None, run.villages]})
    return run


def _num(x: float) -> float | None:
    return None if x != x else round(float(x), 4)


def _usable_normalisations(specs: list[engine.Indicator]) -> set[str]:
    ok = {"minmax", "zscore", "rank"}
    if all(s.lo is not None and s.hi is not None for s in specs):
        ok.add("goalposts")
    if all(s.target is not None for s in specs):
        ok.add("target")
    return ok


INDICATOR_FIELDS = ("code", "name", "unit", "direction", "weight", "denominator", "scale", "lo", "hi", "target",
                    "in_index", "sort", "is_active")


def _indicator_check(data: dict, indicator: Indicator | None = None) -> None:
    unknown = set(data) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError({k: _("不能修改") for k in sorted(unknown)})
    errors = {}
    den = data.get("denominator", indicator.denominator if indicator else None)
    if den is not None and indicator is not None:
        if den.pk == indicator.pk:
            errors["denominator"] = _("分母指标不能是本指标")
        elif den.denominator_id == indicator.pk:
            errors["denominator"] = _("两个指标不能互为分母")
    if den is not None and not den.is_active:
        errors["denominator"] = _("分母指标已停用")
    scale = data.get("scale", indicator.scale if indicator else 1)
    if scale is not None and float(scale) <= 0:
        errors["scale"] = _("分母倍数应大于 0")
    lo = data.get("lo", indicator.lo if indicator else None)
    hi = data.get("hi", indicator.hi if indicator else None)
    if lo is not None and hi is not None and lo >= hi:
        errors["hi"] = _("上限门槛应大于下限门槛")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, actor, **data) -> Indicator:
    """A new indicator of the index (configuration, county only)."""
    policy.require(actor, "manage")
    _indicator_check(data)
    return record_create(model=Indicator, data=data, actor=actor)


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, **data) -> Indicator:
    """Change an indicator's configuration; its code stays (stored runs and sheets refer to it)."""
    policy.require(actor, "manage")
    if "code" in data and data["code"] != indicator.code:
        raise ValidationError({"code": _("指标代码不能修改（已有计算结果引用）")})
    _indicator_check(data, indicator)
    return record_update(obj=indicator, data=data, actor=actor)[0]


@transaction.atomic
def team_update(*, team: OperationTeam, actor, **data) -> OperationTeam:
    """Change a team's contract (company, members, term, fee, target) or end it (`is_active` False)."""
    policy.require(actor, "manage")
    if not policy.may(actor, "view", team):
        raise PermissionDenied
    allowed = {"company", "members", "start", "end", "fee", "income_target", "is_pilot", "is_active"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({k: _("不能修改") for k in unknown})
    if data.get("is_active") and not team.is_active and OperationTeam.objects.filter(
            village_id=team.village_id, is_active=True).exclude(pk=team.pk).exists():
        raise ValidationError({"is_active": _("该村已有在约的运营团队")})
    return record_update(obj=team, data=data, actor=actor)[0]


@transaction.atomic
def team_create(*, village, company: str, start: dt.date, end: dt.date, actor, members: str = "", fee=0,
                income_target=0, is_pilot: bool = False) -> OperationTeam:
    """Contract an operation team for a village (one team in contract per village)."""
    policy.require(actor, "manage")
    if not selectors.village_regions(user=actor).filter(pk=village.pk).exists():
        raise ValidationError({"village": _("不是您管辖范围内的村")})
    def taken() -> bool:
        return OperationTeam.objects.filter(village=village, is_active=True).exists()

    message = {"village": _("该村已有在约的运营团队")}
    if taken():
        raise ValidationError(message)
    with one_per(taken, message):
        return record_create(model=OperationTeam, actor=actor, data={
            "village": village, "company": company, "members": members, "start": start, "end": end, "fee": fee,
            "income_target": income_target, "is_pilot": is_pilot})


@transaction.atomic
def report_add(*, team: OperationTeam, year: int, month: int, summary: str, income: float, actor) -> MonthlyReport:
    """A team's monthly report (once per month)."""
    if not policy.may(actor, "view", team) or not policy.allows(actor, "add", MonthlyReport):
        raise PermissionDenied

    def taken() -> bool:
        return MonthlyReport.objects.filter(team=team, year=year, month=month).exists()

    message = {"month": _("本月月报已提交")}
    if taken():
        raise ValidationError(message)
    with one_per(taken, message):
        return record_create(model=MonthlyReport, actor=actor, data={
            "team": team, "year": year, "month": month, "summary": summary, "income": income})


# --- 强村局长 ------------------------------------------------------------------------------------------


def problem_desk_ensure(*, actor=None) -> Desk:
    """强村难题: the cases desk the heads' problems go to, with its categories, deadlines and escalation.
    Configuration the app brings: created on first use (by the system when the actor may not configure desks)."""
    desk = Desk.objects.filter(code=PROBLEM_DESK).first()
    if desk is not None:
        return desk
    with site_language():
        return case_services.desk_create(
            code=PROBLEM_DESK, name=str(_("强村难题")), actor=None, sort=30,
            description=str(_("强村局长在结对村发现、需要县级部门协调解决的问题：明确责任单位，限期办结。")),
            submitter_kinds=[SubmitterKind.CADRE], decline_hours=24,
            categories=[(str(_("产业发展")), 20), (str(_("项目用地")), 20), (str(_("资金政策")), 15),
                        (str(_("基础设施")), 20), (str(_("其他")), 15)],
            escalation_steps=[{"overdue_days": 0, "target": EscalationTarget.UNIT_HEAD},
                              {"overdue_days": 3, "target": EscalationTarget.DESK_HEAD}])


@transaction.atomic
def patron_pair(*, village, person, start: dt.date, end: dt.date, actor) -> Patron:
    """Pair a county department head with a village for a term (one live pairing per head and village)."""
    policy.require(actor, "manage")
    if not selectors.village_regions(user=actor).filter(pk=village.pk).exists():
        raise ValidationError({"village": _("不是您管辖范围内的村")})
    if not SECTION_LEADERS.rows(actor).filter(pk=person.pk, is_active=True).exists():
        raise ValidationError({"person": _("所选人员不在您的管辖范围内或已停用")})
    if person.unit is None or person.unit.kind not in PATRON_UNIT_KINDS:
        raise ValidationError({"person": _("强村局长应为县级部门的领导干部")})
    if end < start:
        raise ValidationError({"end": _("结对截止日期不能早于起始日期")})

    def taken() -> bool:
        return Patron.objects.filter(person=person, village=village, is_active=True).exists()

    message = {"person": _("该局长已与该村结对")}
    if taken():
        raise ValidationError(message)
    with one_per(taken, message):
        return record_create(model=Patron, actor=actor, data={
            "village": village, "person": person, "start": start, "end": end})


@transaction.atomic
def patron_end(*, patron: Patron, actor, on: dt.date | None = None) -> Patron:
    """End a pairing (the term is over or the head moved); its log stays."""
    policy.require(actor, "manage")
    if not policy.may(actor, "view", patron):
        raise PermissionDenied
    if not patron.is_active:
        raise ValidationError(_("该结对已结束"))
    return record_update(obj=patron, data={"is_active": False, "ended_on": on or selectors.local_today()},
                         actor=actor)[0]


def _patron_check(patron: Patron, actor) -> None:
    if not policy.may(actor, "change", patron):
        raise PermissionDenied
    if not patron.is_active:
        raise ValidationError(_("该结对已结束，不能再记录"))


@transaction.atomic
def patron_log(*, patron: Patron, kind: str, on: dt.date, summary: str, actor) -> PatronLog:
    """Log a visit or an action of a head in their village (the head, the town's staff or the county)."""
    _patron_check(patron, actor)
    if kind not in (LogKind.VISIT, LogKind.ACTION):
        raise ValidationError({"kind": _("请选择走访调研或帮扶举措")})
    if on > selectors.local_today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写内容")})
    return record_create(model=PatronLog, actor=actor, data={
        "patron": patron, "kind": kind, "on": on, "summary": summary,
        "created_by": actor if getattr(actor, "pk", None) else None})


@transaction.atomic
def patron_problem_raise(*, patron: Patron, title: str, description: str, actor, category: Category | None = None,
                         on: dt.date | None = None) -> PatronLog:
    """A head raises a village's problem: a case on the 强村难题 desk (its deadlines, escalation and timeline),
    submitted in the head's name and referring to the pairing, and a log entry pointing to it."""
    _patron_check(patron, actor)
    desk = problem_desk_ensure(actor=actor)
    if category is not None and not desk_categories(PROBLEM_DESK).filter(pk=category.pk).exists():
        raise ValidationError({"category": _("类别不属于强村难题受理台")})
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写问题")})
    if not description:
        raise ValidationError({"description": _("请填写问题说明")})
    village = patron.village
    case: Case = case_services.case_submit(
        desk=desk, title=title, description=description, actor=actor, submitter_kind=SubmitterKind.CADRE,
        category=category, location=f"{village.parent.name if village.parent else ''}{village.name}",
        submitter_person=patron.person, submitter_name=patron.person.name, ref=patron)
    return record_create(model=PatronLog, actor=actor, data={
        "patron": patron, "kind": LogKind.PROBLEM, "on": on or selectors.local_today(), "summary": title,
        "case": case, "created_by": actor if getattr(actor, "pk", None) else None})
