"""Writes of the assessment: schemes, inputs, the round workflow (one transition service), objections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods, plugins
from bole.core.audit import audit_record, snapshot
from bole.core.choices import AuditAction
from bole.core.db import insert_rows
from bole.core.excel import parse_int, parse_number
from bole.core.records import bulk_create_audited, editable_fields, record_create, record_update
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.engines import scoring

from .choices import IndicatorKind, ObjectionStatus, PeriodKind, RoundStatus
from .compute import GRADE_EXCELLENT, GRADES, Inputs, load_inputs, previous_period, score_inputs, subjects
from .models import (
    GradeDecision,
    Indicator,
    ManualValue,
    Objection,
    Result,
    Round,
    RoundEvent,
    RoundSource,
    Scheme,
    TaskTally,
    UnitScore,
)
from .permissions import policy
from .selectors import group_places, quota_issues, scheme_locked

# The round workflow. computed → computed is a recompute; publicity → computed withdraws a publicity
# (to apply upheld objections); nothing leaves frozen.
TRANSITIONS: dict[str, set[str]] = {
    RoundStatus.DRAFT: {RoundStatus.COLLECTING},
    RoundStatus.COLLECTING: {RoundStatus.DRAFT, RoundStatus.COMPUTED},
    RoundStatus.COMPUTED: {RoundStatus.COMPUTED, RoundStatus.COLLECTING, RoundStatus.PUBLICITY},
    RoundStatus.PUBLICITY: {RoundStatus.COMPUTED, RoundStatus.PUBLISHED},
    RoundStatus.PUBLISHED: {RoundStatus.FROZEN},
    RoundStatus.FROZEN: set(),
}
EDITABLE = {RoundStatus.DRAFT, RoundStatus.COLLECTING, RoundStatus.COMPUTED, RoundStatus.PUBLICITY}


def _require_admin(actor, model=Scheme) -> None:
    if actor is not None and not policy.allows(actor, "manage", model):
        raise PermissionDenied


# --- schemes --------------------------------------------------------------------------------------


def _scheme_rules(scheme: Scheme | None, data: dict[str, Any]) -> None:
    """Settings checked whatever the way in: the excellent share's ceiling and the order of the thresholds."""
    errors = {}
    share = data.get("excellent_share", getattr(scheme, "excellent_share", Decimal("0.15")))
    if share is not None and not Decimal(0) <= Decimal(str(share)) <= Decimal("0.20"):
        errors["excellent_share"] = _("优秀比例不得超过 20%")
    basic = data.get("basic_threshold", getattr(scheme, "basic_threshold", None))
    fail = data.get("fail_threshold", getattr(scheme, "fail_threshold", None))
    if basic is not None and fail is not None and Decimal(str(fail)) > Decimal(str(basic)):
        errors["fail_threshold"] = _("不称职分数线不能高于基本称职分数线")
    if errors:
        raise ValidationError(errors)


def _require_unlocked(scheme: Scheme) -> None:
    """Rounds whose results others have seen show exactly the scheme they were computed with."""
    if scheme.pk and scheme_locked(scheme):
        raise ValidationError(_("本方案已有轮次进入公示、发布或归档，方案及指标已锁定，以保证已公布的结果不变；"
                                "如需调整，请复制为新方案"))


def scheme_create(*, actor, indicators: list[dict[str, Any]] = (), **data) -> Scheme:
    """A scheme with its indicators; weights are checked when a round starts collecting."""
    _require_admin(actor)
    with transaction.atomic():
        _scheme_rules(None, data)
        scheme = record_create(model=Scheme, data=data, actor=actor)
        for i, spec in enumerate(indicators):
            indicator_add(scheme=scheme, actor=actor, sort=spec.pop("sort", i), **spec)
    return scheme


def scheme_update(*, scheme: Scheme, actor, **data) -> Scheme:
    """Change a scheme's settings; once locked (see `_require_unlocked`) it may only be retired or revived."""
    _require_admin(actor)
    if set(data) - {"is_active"}:
        _require_unlocked(scheme)
    _scheme_rules(scheme, data)
    return record_update(obj=scheme, data=data, actor=actor)[0]


@transaction.atomic
def indicator_add(*, scheme: Scheme, actor, categories=(), **data) -> Indicator:
    """Add one indicator to a scheme (ledger indicators name their point categories)."""
    _require_admin(actor)
    _require_unlocked(scheme)
    ind = record_create(model=Indicator, data={"scheme": scheme, **data}, actor=actor)
    if categories:
        ind.categories.set(categories)
    return ind


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, categories=None, **data) -> Indicator:
    """Change one indicator of an unlocked scheme; a change of point categories is audited with the rest."""
    _require_admin(actor)
    _require_unlocked(indicator.scheme)
    before = sorted(c.pk for c in indicator.categories.all())
    ind, changes = record_update(obj=indicator, data=data, actor=actor)
    if categories is not None:
        after = sorted(c.pk for c in categories)
        if after != before:
            ind.categories.set(categories)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=ind, changes={"categories": [before, after]})
    return ind


@transaction.atomic
def indicator_remove(*, indicator: Indicator, actor) -> None:
    """Take an indicator out of an unlocked scheme, with the evaluation links of its (unpublished) rounds."""
    _require_admin(actor)
    _require_unlocked(indicator.scheme)
    before = snapshot(indicator, [f for f in editable_fields(Indicator) if f != "scheme"])
    before["categories"] = sorted(c.pk for c in indicator.categories.all())
    for src in RoundSource.objects.filter(indicator=indicator).select_related("round"):
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=src.round,
                     changes={"evaluation": [src.evaluation_id, None], "indicator": [indicator.code, None]})
        src.delete()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=indicator,
                 changes={k: [v, [] if k == "categories" else None] for k, v in before.items()})
    indicator.categories.clear()
    indicator.delete()


def _row_error(row: dict[str, Any], exc: ValidationError) -> ValidationError:
    """An indicator's field errors, named after the indicator (the page lists them above the rows)."""
    label = row.get("name") or row.get("code") or "?"
    return ValidationError([_("指标“%(n)s”：%(m)s") % {"n": label, "m": m} for m in exc.messages])


@transaction.atomic
def scheme_save(*, scheme: Scheme | None, indicators: list[dict[str, Any]], actor, **data) -> Scheme:
    """The scheme page's one write: settings and the whole list of indicators (rows with an "id" change that
    indicator, rows without one add one, indicators left out are removed), then every check of `scheme_check`;
    any error and nothing is saved."""
    _require_admin(actor)
    codes = [str(r.get("code", "")) for r in indicators]
    dupes = sorted({c for c in codes if c and codes.count(c) > 1})
    if dupes:
        raise ValidationError([_("指标代码“%(c)s”重复") % {"c": c} for c in dupes])
    if scheme is None:
        scheme = scheme_create(actor=actor, **data)
    else:
        scheme = scheme_update(scheme=Scheme.objects.select_for_update().get(pk=scheme.pk), actor=actor, **data)
    existing = {i.pk: i for i in scheme.indicators.prefetch_related("categories")}
    kept = {int(r["id"]) for r in indicators if r.get("id")}
    for pk in sorted(set(existing) - kept):  # first, so a removed indicator's code can be reused
        indicator_remove(indicator=existing.pop(pk), actor=actor)
    for position, row in enumerate(indicators):
        row = {**row, "sort": position}
        pk = row.pop("id", None)
        try:
            if pk:
                if int(pk) not in existing:
                    raise ValidationError(_("指标不属于本方案"))
                indicator_update(indicator=existing.pop(int(pk)), actor=actor, **row)
            else:
                indicator_add(scheme=scheme, actor=actor, **row)
        except ValidationError as exc:
            raise _row_error(row, exc) from exc
    scheme_check(scheme)
    return scheme


def scheme_copy(*, scheme: Scheme, name: str, actor) -> Scheme:
    """A new version of a scheme under a new name: same settings and indicators, free to edit; it records the
    scheme it replaces."""
    _require_admin(actor)
    data = {f: getattr(scheme, f) for f in editable_fields(Scheme) if f not in {"name", "is_active"}}
    data["replaces"] = scheme
    rows = [{"code": i.code, "name": i.name, "kind": i.kind, "weight": i.weight, "direction": i.direction,
             "normalisation": i.normalisation, "missing": i.missing, "metric": i.metric, "sort": i.sort,
             "categories": list(i.categories.all())} for i in scheme.indicators.prefetch_related("categories")]
    return scheme_create(actor=actor, name=(name or "").strip(), indicators=rows, **data)


def metric_choices_text() -> str:
    """The 机制数据 codes the apps offer, as "code（label）" joined for a message or a help line."""
    return "、".join(f"{code}（{m.label}）" for code, m in plugins.metrics().items()) or "—"


# Enough for any real scheme: the mechanism itself cut its indicators from 18 to 7.
MAX_INDICATORS = 18


def scheme_check(scheme: Scheme) -> None:
    """A scheme can be used once its weights add up to 100 and every indicator knows its source."""
    indicators = list(scheme.indicators.prefetch_related("categories"))
    errors = []
    if not indicators:
        errors.append(_("方案没有指标"))
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != Decimal(100):
        errors.append(_("指标权重合计应为 100，现为 %(t)s") % {"t": f"{total.normalize():f}"})
    for i in indicators:
        if i.weight < 0:
            errors.append(_("指标“%(n)s”的权重不能为负数") % {"n": i.name})
        if i.kind == IndicatorKind.LEDGER and not i.categories.exists():
            errors.append(_("指标“%(n)s”未选择积分类别") % {"n": i.name})
        if i.kind == IndicatorKind.MECHANISM and i.metric not in plugins.metrics():
            errors.append(_("指标“%(n)s”的机制数据代码“%(m)s”不存在，可选：%(codes)s")
                          % {"n": i.name, "m": i.metric, "codes": metric_choices_text()})
    if len(indicators) > MAX_INDICATORS:
        errors.append(_("指标不得超过 %(n)s 个，现为 %(c)s 个") % {"n": MAX_INDICATORS, "c": len(indicators)})
    codes = {i.code for i in indicators}
    for code in scheme.tie_breakers or []:
        if code not in codes:
            errors.append(_("同分比较指标“%(c)s”不是本方案的指标代码") % {"c": code})
    if errors:
        raise ValidationError(errors)


# --- imported inputs ------------------------------------------------------------------------------


def _clean_period(data: dict[str, Any]) -> dict[str, str]:
    """Canonical period code in place; the errors dict a row's other checks add to."""
    try:
        data["period"] = periods.clean(data.get("period", ""))
    except ValidationError as exc:
        return {"period": exc.messages[0]}
    return {}


@transaction.atomic
def _keyed_set(model, data: dict[str, Any], fields: tuple[str, ...], actor):
    """Create the keyed row, or correct the values of the one already there (audited either way).

    The key is unique: when a simultaneous request created the row first, this one corrects it instead."""
    existing = model.objects.select_for_update().filter(key=data["key"]).first()
    if existing is None:
        try:
            with transaction.atomic():
                return record_create(model=model, data=data, actor=actor)
        except (IntegrityError, ValidationError):
            existing = model.objects.select_for_update().filter(key=data["key"]).first()
            if existing is None:
                raise
    return record_update(obj=existing, data={k: data[k] for k in fields}, actor=actor)[0]


def unit_score_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one unit score row (import or form) and derive its key."""
    data = dict(data)
    errors = _clean_period(data)
    try:
        score = Decimal(str(round(parse_number(data.get("score")), 2)))
        if not Decimal(0) <= score <= Decimal(100):
            raise ValueError(_("得分应在 0–100 之间"))
        data["score"] = score
    except ValueError as exc:
        errors["score"] = str(exc)
    if errors:
        raise ValidationError(errors)
    unit_id = data.get("unit_id") or getattr(data.get("unit"), "pk", None)
    data["key"] = f"{data['period']}|{unit_id}"
    return data


def unit_score_set(*, unit, period: str, score, actor, note: str = "") -> UnitScore:
    """Record (or correct) a unit's comprehensive evaluation score for a period."""
    _require_admin(actor, UnitScore)
    data = unit_score_prepare({"unit": unit, "period": period, "score": score, "note": note})
    return _keyed_set(UnitScore, data, ("score", "note"), actor)


def task_tally_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one task tally row; completed may not exceed assigned."""
    data = dict(data)
    errors = _clean_period(data)
    for key in ("assigned", "completed"):
        try:
            data[key] = parse_int(data.get(key))
            if data[key] < 0:
                raise ValueError(_("不能为负数"))
        except ValueError as exc:
            errors[key] = str(exc)
    if not errors and data["completed"] > data["assigned"]:
        errors["completed"] = _("完成数不能大于交办数")
    if errors:
        raise ValidationError(errors)
    person_id = data.get("person_id") or getattr(data.get("person"), "pk", None)
    data["key"] = f"{data['period']}|{person_id}"
    return data


def task_tally_set(*, person, period: str, assigned: int, completed: int, actor, note: str = "") -> TaskTally:
    """Record a person's assigned and completed tasks for a period (the manual task provider)."""
    _require_admin(actor, TaskTally)
    data = task_tally_prepare({"person": person, "period": period, "assigned": assigned, "completed": completed,
                               "note": note})
    return _keyed_set(TaskTally, data, ("assigned", "completed", "note"), actor)


@transaction.atomic
def task_tallies_set_many(*, rows: list[dict[str, Any]], actor) -> int:
    """Record many new task tallies at once (a quarter's register): same checks, bulk insert, audited."""
    _require_admin(actor, TaskTally)
    prepared = []
    for row in rows:
        data = task_tally_prepare(row)
        person = data.pop("person", None)
        if person is not None:
            data["person_id"] = person.pk
        prepared.append(data)
    if TaskTally.objects.filter(key__in=[d["key"] for d in prepared]).exists():
        raise ValidationError(_("部分人员本期已有任务台账，请逐条更正"))
    return bulk_create_audited(model=TaskTally, rows=prepared, actor=actor)


def manual_value_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one imported value row and derive its key."""
    data = dict(data)
    errors = _clean_period(data)
    try:
        data["value"] = Decimal(str(round(parse_number(data.get("value")), 3)))
    except ValueError as exc:
        errors["value"] = str(exc)
    if not data.get("metric"):
        errors["metric"] = _("必填项为空")
    if errors:
        raise ValidationError(errors)
    person_id = data.get("person_id") or getattr(data.get("person"), "pk", None)
    data["key"] = f"{data['metric']}|{data['period']}|{person_id}"
    return data


def manual_value_set(*, metric: str, person, period: str, value, actor, note: str = "") -> ManualValue:
    """Record a manual/imported indicator value for a person and period."""
    _require_admin(actor, ManualValue)
    data = manual_value_prepare({"metric": metric, "person": person, "period": period, "value": value,
                                 "note": note})
    return _keyed_set(ManualValue, data, ("value", "note"), actor)


@transaction.atomic
def manual_values_publish(*, metric: str, period: str, values: dict, actor) -> int:
    """Publish a mechanism's per-person values for a period as the manual values of `metric`, so a scheme can
    weigh them as an indicator (kind 手工/导入数值): `values` maps a person to (value, note). Returns how many."""
    for person, (value, note) in values.items():
        manual_value_set(metric=metric, person=person, period=period, value=value, actor=actor, note=note)
    return len(values)


# --- rounds ---------------------------------------------------------------------------------------


def round_create(*, scheme: Scheme, period: str, actor, title: str = "") -> Round:
    """Open a round (draft) of a scheme for one period."""
    _require_admin(actor, Round)
    period = periods.clean(period)
    quarterly = periods.parse(period)[1] is not None
    if quarterly != (scheme.period_kind == PeriodKind.QUARTER):
        raise ValidationError({"period": _("周期与方案的考核周期类型不一致")})
    def taken() -> bool:
        return Round.objects.filter(scheme=scheme, period=period).exists()

    if taken():
        raise ValidationError({"period": _("该方案已有 %(p)s 的轮次") % {"p": period}})
    title = title or _("%(p)s%(s)s") % {"p": periods.label(period), "s": scheme.name}
    with one_per(taken, {"period": _("该方案已有 %(p)s 的轮次") % {"p": period}}):
        return record_create(model=Round, data={"scheme": scheme, "period": period, "title": title}, actor=actor)


def round_link_evaluation(*, round: Round, indicator: Indicator, evaluation, actor) -> RoundSource:
    """Feed a multi-rater indicator of this round from an evaluation (多维评议)."""
    _require_admin(actor, Round)
    if indicator.kind != IndicatorKind.EVALUATION or indicator.scheme_id != round.scheme_id:
        raise ValidationError({"indicator": _("只有本方案的多维评议指标可以关联测评")})
    if round.status not in EDITABLE:
        raise ValidationError({"round": _("已发布或归档的轮次不能修改")})
    src, _created = RoundSource.objects.update_or_create(round=round, indicator=indicator,
                                                         defaults={"evaluation": evaluation})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=round,
                 changes={"evaluation": [None, evaluation.pk], "indicator": [None, indicator.code]})
    return src


def _fmt(units: np.ndarray, decimals: int) -> list[str]:
    """Exact decimal strings of integer units (no float formatting on the way to the database)."""
    scale = 10**decimals
    out = []
    for u in units.tolist():
        sign = "-" if u < 0 else ""
        q, r = divmod(abs(u), scale)
        out.append(f"{sign}{q}.{r:0{decimals}d}" if decimals else f"{sign}{q}")
    return out


def _store(rnd: Round, inputs: Inputs, result: scoring.ScoreResult) -> int:
    """Replace the round's results by the new ones (the round is not published, so nothing frozen moves)."""
    if rnd.status in {RoundStatus.PUBLISHED, RoundStatus.FROZEN}:
        raise ValidationError(_("已发布或归档的考核结果不能重新计算"))
    prev = Round.objects.filter(scheme=rnd.scheme, period=previous_period(rnd.period)).first()
    prev_rank = np.full(inputs.person.size, -1, dtype=np.int64)
    if prev is not None:
        rows = list(Result.objects.filter(round=prev).values_list("person_id", "rank"))
        if rows:
            ids, ranks = (np.array(x, dtype=np.int64) for x in zip(*rows, strict=True))
            order = np.argsort(ids)
            ids, ranks = ids[order], ranks[order]
            pos = np.clip(np.searchsorted(ids, inputs.person), 0, ids.size - 1)
            hit = ids[pos] == inputs.person
            prev_rank[hit] = ranks[pos[hit]]
    Result.objects.filter(round=rnd).delete()
    n = inputs.person.size
    if n == 0:
        return 0
    codes = [i.code for i in inputs.indicators]
    raw = np.where(np.isnan(inputs.raw), None, inputs.raw).tolist() if n else []
    norm = np.round(result.normalised, 4).tolist()
    weight = np.round(result.effective_weight, 4).tolist()
    units = result.rounded.contribution_units.tolist()
    missing = result.missing.tolist()
    details = {}  # per indicator code: (detail key, per-person values) of the arrays that cover everyone
    for code, detail in inputs.details.items():
        if kept := [(key, values.tolist()) for key, values in detail.items() if values.size == n]:
            details[code] = kept
    labels = result.grades.labels
    grade = result.grades.grade.tolist()
    totals = _fmt(result.rounded.total_units, inputs.decimals)
    columns = ["round_id", "person_id", "unit_id", "group", "total", "rank", "position", "group_size", "grade",
               "grade_index", "flags", "grade_flags", "prev_rank", "breakdown"]
    person, unit, group = inputs.person.tolist(), inputs.unit.tolist(), inputs.group.tolist()
    rank, position, size = (result.rank.tolist(), result.ranking.position.tolist(), result.group_size.tolist())
    flags, gflags, prk = result.flags.tolist(), result.grades.flags.tolist(), prev_rank.tolist()
    rows = [
        (rnd.pk, person[i], unit[i], group[i], totals[i], rank[i], position[i], size[i], labels[grade[i]],
         grade[i], flags[i], gflags[i], prk[i] if prk[i] > 0 else None,
         orjson.dumps({"codes": codes, "raw": raw[i], "norm": norm[i], "weight": weight[i], "units": units[i],
                       "missing": missing[i],
                       "detail": {code: {key: values[i] for key, values in kept} for code, kept in details.items()}},
                      ).decode())
        for i in range(n)
    ]
    insert_rows(Result, columns, rows)
    return n


def round_compute(rnd: Round, *, actor, force: bool = False, loaders=None, progress=None) -> tuple[Inputs, bool]:
    """Load, score and store; a no-op when the inputs' fingerprint is unchanged (idempotent). `progress` (a
    background job's context) is told each phase."""
    if progress is not None:
        progress.phase(_("载入考核数据"))
    inputs = load_inputs(rnd, loaders=loaders)
    fp = inputs.fingerprint
    if not force and fp == rnd.input_fingerprint and Result.objects.filter(round=rnd).exists():
        return inputs, False
    if progress is not None:
        progress.phase(_("计算得分和等次"), int(inputs.person.size))
    result = score_inputs(inputs)
    if progress is not None:
        progress.phase(_("写入考核结果"), int(inputs.person.size))
    n = _store(rnd, inputs, result)
    if progress is not None:
        progress.advance(n)
    rnd.input_fingerprint = fp
    rnd.computed_at = timezone.now()
    rnd.engine_version = result.engine_version
    rnd.parameters = {**inputs.parameters, "people": n}
    rnd.save(update_fields=["input_fingerprint", "computed_at", "engine_version", "parameters"])
    return inputs, True


def publish_from(rnd: Round) -> dt.date | None:
    """The first day a round in publicity may be published: the day after its publicity period ends."""
    return rnd.publicity_until + dt.timedelta(days=1) if rnd.publicity_until else None


def _next_doc_number(rnd: Round) -> str:
    year = periods.year_of(rnd.period)
    prefix = f"{rnd.scheme.doc_prefix}〔{year}〕"
    used = Round.objects.filter(doc_number__startswith=prefix).count()
    return f"{prefix}{used + 1}号"


@transaction.atomic
def round_transition(*, round: Round, to: str, actor, note: str = "",
                     publicity_until: dt.date | None = None, on: dt.date | None = None, progress=None) -> Round:
    """Move a round along its workflow: the only place a round's status changes. `on` is the working day the
    move happens (today unless given): publicity ends on `publicity_until`, publishing waits for the day after."""
    _require_admin(actor, Round)
    today = on or timezone.localdate()
    rnd = Round.objects.select_for_update().select_related("scheme").get(pk=round.pk)
    before = rnd.status
    check_move(TRANSITIONS, RoundStatus, before, to, field="status")
    changes: dict[str, Any] = {"status": [before, to]}
    if to == RoundStatus.COLLECTING:
        scheme_check(rnd.scheme)
    elif to == RoundStatus.COMPUTED:
        scheme_check(rnd.scheme)
        if before == RoundStatus.PUBLICITY and not note.strip():
            raise ValidationError({"note": _("撤回公示须说明原因")})
        inputs, written = round_compute(rnd, actor=actor, progress=progress)
        changes.update({"people": [None, int(inputs.person.size)], "rewritten": [None, written],
                        "fingerprint": [None, rnd.input_fingerprint]})
    elif to == RoundStatus.PUBLICITY:
        if not Result.objects.filter(round=rnd).exists():
            raise ValidationError({"status": _("尚无考核结果，不能公示")})
        until = publicity_until or (today + dt.timedelta(days=5))
        if until < today:
            raise ValidationError({"publicity_until": _("公示截止日期不能早于公示开始日期")})
        rnd.publicity_until = until
    elif to == RoundStatus.PUBLISHED:
        if rnd.publicity_until and today <= rnd.publicity_until:
            raise ValidationError({"status": _("公示期至 %(d)s 结束，%(n)s 起方可发布") % {
                "d": f"{rnd.publicity_until:%Y-%m-%d}", "n": f"{publish_from(rnd):%Y-%m-%d}"}})
        if Objection.objects.filter(round=rnd, status=ObjectionStatus.OPEN).exists():
            raise ValidationError({"status": _("还有未答复的异议，不能发布")})
        if issues := quota_issues(rnd):
            raise ValidationError({"status": [_quota_issue_message(q) for q in issues]})
        if load_inputs(rnd).fingerprint != rnd.input_fingerprint:
            raise ValidationError({"status": _("计算后考核数据已有变动，请撤回公示、重新计算后再发布")})
        rnd.published_at = timezone.now()
        rnd.doc_number = rnd.doc_number or _next_doc_number(rnd)
        changes["doc_number"] = [None, rnd.doc_number]
    elif to == RoundStatus.FROZEN:
        rnd.frozen_fingerprint = rnd.input_fingerprint
        rnd.frozen_at = timezone.now()
    rnd.status = to
    rnd.save()
    RoundEvent.objects.create(round=rnd, from_status=before, to_status=to, note=note.strip()[:300],
                              actor=actor if getattr(actor, "pk", None) else None)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=rnd, changes=changes)
    return rnd


def _quota_issue_message(q) -> str:
    """Why a group's 优秀 wait for a decision, naming the group and the people."""
    parts = []
    if q.tied:
        parts.append(_("“%(g)s”组 %(names)s 同分并列第 %(rank)s 名，同分比较也无法区分，剩余优秀名额 %(left)s 个，"
                       "不够同分者都评为优秀，须集体研究决定其等次") % {
            "g": q.group, "names": "、".join(q.tied), "rank": q.tie_rank, "left": q.left})
    if q.over:
        parts.append(_("“%(g)s”组 %(n)s 人，优秀名额 %(p)s 个，决定为优秀的 %(names)s 超出名额，须集体研究调整等次决定") % {
            "g": q.group, "n": q.size, "p": q.places, "names": "、".join(q.over)})
    return _("%(issue)s；记录等次决定并重新计算后方可发布") % {"issue": "；".join(parts)}


def _excellent_quota_check(rnd: Round, person) -> None:
    """Decided 优秀 use the group's places: a decision beyond them is refused, with the figures."""
    ids, _units, group = subjects(rnd.scheme)
    label = group[ids == person.pk][0]
    members = ids[group == label]
    places, _nominal = group_places(rnd.scheme, int(members.size))
    others = (GradeDecision.objects.filter(round=rnd, grade=GRADE_EXCELLENT).exclude(person=person)
              .values_list("person_id", flat=True))
    decided = int(np.isin(np.array(list(others), dtype=np.int64), members).sum())
    if decided >= places:
        raise ValidationError({"grade": _(
            "本组（%(g)s）%(n)s 人，优秀名额 %(p)s 个，已决定 %(d)s 个，不能再决定优秀") % {
            "g": label, "n": int(members.size), "p": places, "d": decided}})


# --- decisions and objections ---------------------------------------------------------------------


@transaction.atomic
def grade_decide(*, round: Round, person, grade: str, reason: str, actor) -> GradeDecision:
    """Decide a person's grade (基本称职/不称职 by decision, or 优秀/称职 to settle a tie at the quota's boundary);
    takes effect at the next computation. Decided 优秀 never exceed the group's places."""
    _require_admin(actor, Round)
    round = Round.objects.select_for_update().select_related("scheme").get(pk=round.pk)  # one decision at a time
    if round.status not in EDITABLE:
        raise ValidationError({"round": _("已发布或归档的轮次不能修改")})
    if grade not in GRADES:
        raise ValidationError({"grade": _("未知等次")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写依据")})
    if not subjects(round.scheme, [person.pk])[0].size:
        raise ValidationError({"person": _("该人员不是本方案的考核对象")})
    if grade == GRADE_EXCELLENT:
        _excellent_quota_check(round, person)
    decision, _created = GradeDecision.objects.update_or_create(
        round=round, person=person,
        defaults={"grade": grade, "reason": reason.strip(), "decided_by": actor if getattr(actor, "pk", None)
                  else None})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=round,
                 changes={"grade_decision": [None, {"person": person.pk, "grade": grade}]})
    return decision


@transaction.atomic
def grade_decision_remove(*, decision: GradeDecision, actor) -> None:
    """Withdraw a decided grade while the round can still change; the earned grade returns at the next computation."""
    _require_admin(actor, Round)
    if decision.round.status not in EDITABLE:
        raise ValidationError({"round": _("已发布或归档的轮次不能修改")})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=decision.round,
                 changes={"grade_decision": [{"person": decision.person_id, "grade": decision.grade,
                                              "reason": decision.reason}, None]})
    decision.delete()


@transaction.atomic
def objection_lodge(*, round: Round, person, reason: str, actor) -> Objection:
    """A cadre objects to their result during the publicity period, giving a reason."""
    rnd = Round.objects.get(pk=round.pk)
    if rnd.status != RoundStatus.PUBLICITY:
        raise ValidationError({"round": _("只能在公示期内提出异议")})
    if rnd.publicity_until and timezone.localdate() > rnd.publicity_until:
        raise ValidationError({"round": _("公示期已结束")})
    result = Result.objects.filter(round=rnd, person=person).first()
    if result is None:
        raise ValidationError({"person": _("该人员不在本轮考核范围内")})
    if actor is not None:
        if not policy.allows(actor, "add", Objection):
            raise PermissionDenied
        policy.require(actor, "view", result)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写异议理由")})
    obj = Objection(round=rnd, person=person, unit=result.unit, reason=reason.strip(),
                    lodged_by=actor if getattr(actor, "pk", None) else None)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes={"reason": [None, obj.reason]})
    return obj


@transaction.atomic
def objection_answer(*, objection: Objection, outcome: str, answer: str, actor,
                     grade: str | None = None) -> Objection:
    """Answer an objection (upheld or dismissed) and record it; an upheld one may decide a grade."""
    _require_admin(actor, Round)
    obj = Objection.objects.select_for_update().get(pk=objection.pk)
    if obj.status != ObjectionStatus.OPEN:
        raise ValidationError({"status": _("该异议已答复")})
    if outcome not in {ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED}:
        raise ValidationError({"status": _("答复结论应为成立或不成立")})
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写答复意见")})
    obj.status, obj.answer = outcome, answer.strip()
    obj.answered_by = actor if getattr(actor, "pk", None) else None
    obj.answered_at = timezone.now()
    obj.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=obj,
                 changes={"status": [ObjectionStatus.OPEN, outcome], "answer": [None, obj.answer]})
    if outcome == ObjectionStatus.UPHELD and grade:
        grade_decide(round=obj.round, person=obj.person, grade=grade, reason=_("异议成立：%(a)s") % {
            "a": obj.answer}, actor=actor)
    return obj
