"""Writes of 产学研 pairing: experts, needs classified from the 技术需求 desk, matching runs, pairings' life."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.cases import services as case_services
from bole.cases.choices import Action as CaseAction
from bole.cases.choices import State as CaseState
from bole.cases.choices import SubmitterKind
from bole.cases.models import Case, Desk
from bole.core.audit import audit_build, audit_bulk, audit_record
from bole.core.choices import AuditAction
from bole.core.notices import site_language
from bole.core.scoping import own_enterprise_id, own_person_id
from bole.engines import matching as engine
from bole.engines.matching_terms import FIELDS
from bole.org.models import Enterprise, Region

from .choices import CLOSED_STATES, LIVE_STATES, OutcomeKind, PairAction, PairState, RunStatus
from .models import Conflict, Expert, MatchRun, Need, Pairing, Report
from .permissions import policy

DESK_CODE = "tech-need"
MAX_K = 10
MAX_CAPACITY = 50
# Needs × experts above which a matching run goes to the task queue instead of the request.
SYNC_LIMIT = 200_000


def _require(actor, ability: str) -> None:
    if not policy.may(actor, ability):
        raise PermissionDenied(_("无权执行此操作"))


# --- the 技术需求 desk ------------------------------------------------------------------------------


def need_desk_ensure(*, actor, head=None) -> Desk:
    """技术需求: the cases desk enterprises post their technical needs to, one category per field."""
    desk = Desk.objects.filter(code=DESK_CODE).first()
    if desk is not None:
        return desk
    with site_language():
        return case_services.desk_create(
            code=DESK_CODE, name=str(_("技术需求")), actor=actor, head=head,
            description=str(_("企业提出的技术难题，由组织部（人才办）审核分类后匹配高校院所专家结对攻关。")),
            submitter_kinds=[SubmitterKind.ENTERPRISE], decline_hours=24,
            categories=[(name, 20) for name in FIELDS], sort=20)


# --- experts --------------------------------------------------------------------------------------


def expert_prepare(data: dict[str, Any]) -> dict[str, Any]:
    """Validate one expert row (import or form)."""
    data = dict(data)
    errors: dict[str, str] = {}
    for key in ("code", "name", "institution"):
        data[key] = str(data.get(key) or "").strip()
        if not data[key]:
            errors[key] = _("必填")
    try:
        cap = int(data.get("capacity") if data.get("capacity") not in (None, "") else 3)
        if not 0 <= cap <= MAX_CAPACITY:
            raise ValueError
        data["capacity"] = cap
    except (TypeError, ValueError):
        errors["capacity"] = _("年度对接企业上限应为 0–%(n)d 的整数") % {"n": MAX_CAPACITY}
    for key in ("title", "fields", "keywords", "works"):
        data[key] = str(data.get(key) or "").strip()
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def expert_create(*, actor, region: Region, **fields: Any) -> Expert:
    """A new expert in a county's pool."""
    _require(actor, "manage")
    data = expert_prepare(fields)
    expert = Expert(region=region, **{k: data[k] for k in ("code", "name", "institution", "title", "fields",
                                                           "keywords", "works", "capacity")},
                    person=fields.get("person"))
    expert.full_clean()
    expert.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=expert)
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, actor, **fields: Any) -> Expert:
    """Change an expert's profile or capacity."""
    policy.require(actor, "change", expert)
    data = expert_prepare({**{k: getattr(expert, k) for k in ("code", "name", "institution")}, **fields})
    changes = {}
    for k in ("name", "institution", "title", "fields", "keywords", "works", "capacity"):
        if getattr(expert, k) != data[k]:
            changes[k] = [getattr(expert, k), data[k]]
            setattr(expert, k, data[k])
    expert.full_clean()
    expert.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=expert, changes=changes)
    return expert


@transaction.atomic
def conflict_add(*, expert: Expert, enterprise: Enterprise, kind: str, actor, note: str = "") -> Conflict:
    """Record a conflict of interest: the expert is never proposed to this enterprise."""
    policy.require(actor, "change", expert)
    if Conflict.objects.filter(expert=expert, enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("已登记该企业的利益冲突")})
    conflict = Conflict(expert=expert, enterprise=enterprise, kind=kind, note=note)
    conflict.full_clean()
    conflict.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=conflict)
    return conflict


# --- needs ----------------------------------------------------------------------------------------


@transaction.atomic
def need_classify(*, case: Case, field: str, actor, k: int = 3) -> Need:
    """The department reviews a posted need: accepts the case in its field's category and takes it into matching."""
    _require(actor, "manage")
    if case.desk.code != DESK_CODE:
        raise ValidationError({"case": _("不是技术需求受理台的诉求")})
    if field not in FIELDS:
        raise ValidationError({"field": _("未知的技术领域")})
    if not 1 <= int(k) <= MAX_K:
        raise ValidationError({"k": _("推荐专家数应为 1–%(n)d") % {"n": MAX_K}})
    if case.submitter_enterprise_id is None:
        raise ValidationError({"case": _("技术需求须由企业提出")})
    if Need.objects.filter(case=case).exists():
        raise ValidationError({"case": _("该需求已分类")})
    if case.state == CaseState.SUBMITTED:
        category = case.desk.categories.filter(name=field).first()
        case_services.case_transition(case=case, action=CaseAction.ACCEPT, actor=actor, category=category)
    elif case.state in (CaseState.REJECTED, CaseState.MERGED, CaseState.CLOSED):
        raise ValidationError({"case": _("该需求已不予受理或已关闭")})
    need = Need(case=case, enterprise_id=case.submitter_enterprise_id, field=field, k=int(k), title=case.title,
                text=case.description, posted_at=case.submitted_at)
    need.full_clean()
    need.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=need, changes={"field": [None, field], "k": [None, k]})
    return need


# --- matching -------------------------------------------------------------------------------------


def year_load(expert_ids, *, year: int | None = None) -> dict[int, int]:
    """Enterprises each expert already takes this year (proposed or engaged pairings created in the year)."""
    year = year or timezone.localdate().year
    rows = (Pairing.objects.filter(expert_id__in=expert_ids, created_at__year=year,
                                   state__in=[*LIVE_STATES, *CLOSED_STATES])
            .values("expert_id").annotate(n=Count("id")))
    return {r["expert_id"]: r["n"] for r in rows}


def open_needs(region: Region):
    """Needs of the region's enterprises with no live or closed pairing: what a run matches."""
    taken = Pairing.objects.filter(state__in=[*LIVE_STATES, *CLOSED_STATES]).values("need_id")
    return (Need.objects.filter(enterprise__region__code__startswith=region.code[:6])
            .exclude(pk__in=taken).order_by("id"))


def _pool(region: Region):
    return Expert.objects.filter(region=region, is_active=True).order_by("id")


def run_params(*, k_default: int = 3, min_affinity: float | None = None, tfidf: float = 0.7, bm25: float = 0.3,
               per_need: int = 10, per_expert: int = 10) -> dict[str, Any]:
    """A run's parameters, checked."""
    errors = {}
    if min_affinity is not None and not 0 < float(min_affinity) < 1:
        errors["min_affinity"] = _("最低匹配度应在 0 与 1 之间")
    if tfidf < 0 or bm25 < 0 or tfidf + bm25 <= 0:
        errors["tfidf"] = _("权重不能为负，且不能都为 0")
    if not 1 <= per_need <= 1000 or not 1 <= per_expert <= 1000:
        errors["per_need"] = _("候选数应为 1–1000")
    if errors:
        raise ValidationError(errors)
    return {"min_affinity": min_affinity, "tfidf": float(tfidf), "bm25": float(bm25), "per_need": int(per_need),
            "per_expert": int(per_expert)}


@transaction.atomic
def run_create(*, region: Region, actor, params: dict[str, Any]) -> MatchRun:
    """A queued run for a county (computed by ``run_compute``, in the request or on the task queue)."""
    _require(actor, "manage")
    params = run_params(**params)
    run = MatchRun(region=region, started_by=actor, params=params, engine=engine.ENGINE_VERSION)
    run.full_clean()
    run.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=run, changes={"params": params})
    return run


def run_size(region: Region) -> tuple[int, int]:
    return open_needs(region).count(), _pool(region).count()


@transaction.atomic
def run_compute(*, run: MatchRun, actor, progress=None) -> MatchRun:
    """Match the county's open needs to its experts: affinity from the texts, then the assignment; stores the
    proposed pairs with their shared words, and the run's engine version, parameters and totals."""
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.QUEUED:
        raise ValidationError({"run": _("该批次已计算")})
    t0 = time.perf_counter()
    p = run.params
    needs = list(open_needs(run.region).values("id", "text", "title", "k", "enterprise_id"))
    experts = list(_pool(run.region).values("id", "fields", "keywords", "works", "capacity"))
    if progress:
        progress.phase(_("计算匹配度"), 3)
    out: dict[str, Any] = {"needs": len(needs), "experts": len(experts)}
    pairs: list[Pairing] = []
    if needs and experts:
        e_ids = np.array([e["id"] for e in experts])
        load = year_load(e_ids.tolist())
        capacity = np.array([max(e["capacity"] - load.get(e["id"], 0), 0) for e in experts], dtype=np.int64)
        corpus = engine.build_corpus(
            [f"{n['title']}\n{n['text']}" for n in needs],
            [f"{e['fields']}\n{e['keywords']}\n{e['works']}" for e in experts])
        aff, info = engine.affinity(corpus, engine.AffinityParams(tfidf=p["tfidf"], bm25=p["bm25"]))
        ent_index: dict[int, list[int]] = {}
        for i, n in enumerate(needs):
            ent_index.setdefault(n["enterprise_id"], []).append(i)
        e_pos = {eid: j for j, eid in enumerate(e_ids.tolist())}
        conflicts = [(i, e_pos[c.expert_id]) for c in Conflict.objects.filter(
            expert_id__in=e_ids.tolist(), enterprise_id__in=list(ent_index)).only("expert_id", "enterprise_id")
            for i in ent_index[c.enterprise_id] if c.expert_id in e_pos]
        conf = np.array(conflicts, dtype=np.int64).reshape(-1, 2)
        k = np.array([n["k"] for n in needs], dtype=np.int64)
        if progress:
            progress.advance()
        if p.get("min_affinity"):
            res = engine.assign_with_floor(aff, k=k, capacity=capacity, conflicts=conf,
                                           min_affinity=float(p["min_affinity"]), per_need=p["per_need"],
                                           per_expert=p["per_expert"])
        else:
            res = engine.assign(aff, k=k, capacity=capacity, conflicts=conf, per_need=p["per_need"],
                                per_expert=p["per_expert"])
        now = timezone.now()
        for i, j, a in zip(res.needs.tolist(), res.experts.tolist(), res.affinity.tolist(), strict=True):
            terms = [w for w, _w in engine.explain(corpus, i, j, top=5)]
            pairs.append(Pairing(need_id=needs[i]["id"], expert_id=int(e_ids[j]), run=run, affinity=round(a, 4),
                                 terms=terms, created_at=now))
        out.update(pairs=len(pairs), total_affinity=round(res.total_affinity, 4), floor_missed=len(res.floor_missed),
                   engine={**res.params, "affinity": info["weights"], "vocabulary": info["vocabulary"]})
    Pairing.objects.bulk_create(pairs, batch_size=2000)
    audit_bulk([audit_build(actor=actor, action=AuditAction.CREATE, obj=x, changes={"run": [None, run.pk]})
                for x in pairs])
    run.status = RunStatus.DONE
    run.needs, run.experts = out["needs"], out["experts"]
    run.pairs = out.get("pairs", 0)
    run.total_affinity = out.get("total_affinity", 0.0)
    run.floor_missed = out.get("floor_missed", 0)
    run.params = {**p, "engine": out.get("engine", {})}
    run.seconds = round(time.perf_counter() - t0, 3)
    run.message = _("%(n)d 项需求，%(e)d 位专家，推荐 %(p)d 对") % {"n": run.needs, "e": run.experts, "p": run.pairs}
    run.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changes={"status": [RunStatus.QUEUED, run.status]})
    if progress:
        progress.advance(2)
    return run


def need_candidates(*, need: Need, top: int = 10) -> list[dict[str, Any]]:
    """The need's best experts in its county with affinity, shared words, room this year, conflict, and what
    proposing each costs against the weakest expert already proposed (``engine.change_cost``)."""
    region = need.enterprise.region
    county = Region.objects.filter(code=region.code[:6]).first() or region
    experts = list(_pool(county))
    if not experts:
        return []
    corpus = engine.build_corpus([f"{need.title}\n{need.text}"], [e.text for e in experts])
    aff, _info = engine.affinity(corpus)
    load = year_load([e.pk for e in experts])
    cap = np.array([e.capacity for e in experts])
    loads = np.array([load.get(e.pk, 0) for e in experts])
    conflicted = set(Conflict.objects.filter(enterprise_id=need.enterprise_id).values_list("expert_id", flat=True))
    current = {p.expert_id: p for p in need.pairings.filter(state__in=LIVE_STATES)}
    pos = {e.pk: j for j, e in enumerate(experts)}
    weakest = min(current, key=lambda eid: aff[0, pos[eid]], default=None) if current else None
    order = np.argsort(-aff[0], kind="stable")[:top]
    out = []
    for j in order.tolist():
        e = experts[j]
        cost = engine.change_cost(aff, need=0, remove=pos[weakest] if weakest in pos else None, add=j, load=loads,
                                  capacity=cap, conflicts={(0, pos[c]) for c in conflicted if c in pos})
        out.append({"expert": e, "affinity": round(float(aff[0, j]), 4),
                    "terms": [w for w, _w in engine.explain(corpus, 0, j)], "room": int(cap[j] - loads[j]),
                    "conflict": e.pk in conflicted, "proposed": e.pk in current, "delta": cost["delta"],
                    "over_capacity": cost["over_capacity"]})
    return out


@transaction.atomic
def pairing_add(*, need: Need, expert: Expert, actor, note: str = "") -> Pairing:
    """The department proposes an expert by hand; refused across a conflict or beyond the expert's capacity."""
    _require(actor, "manage")
    policy.require(actor, "change", need)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not expert.is_active:
        raise ValidationError({"expert": _("该专家已停用")})
    if Conflict.objects.filter(expert=expert, enterprise_id=need.enterprise_id).exists():
        raise ValidationError({"expert": _("该专家与该企业存在利益冲突，不能推荐")})
    if year_load([expert.pk]).get(expert.pk, 0) >= expert.capacity:
        raise ValidationError({"expert": _("该专家本年度对接企业已满（上限 %(n)d）") % {"n": expert.capacity}})
    if need.pairings.filter(expert=expert, state__in=LIVE_STATES).exists():
        raise ValidationError({"expert": _("该专家已推荐给此需求")})
    cands = {c["expert"].pk: c for c in need_candidates(need=need, top=10_000)}
    c = cands.get(expert.pk, {"affinity": 0.0, "terms": []})
    pairing = Pairing(need=need, expert=expert, by_hand=True, affinity=c["affinity"], terms=c["terms"],
                      created_at=timezone.now())
    pairing.full_clean()
    pairing.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=pairing,
                 changes={"by_hand": [None, True], "affinity": [None, pairing.affinity], "note": note})
    return pairing


# --- a pairing's life -----------------------------------------------------------------------------

_ALL = frozenset({"enterprise", "expert", "manager"})
# action → (states it may start from, who may do it)
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    PairAction.ACCEPT_ENTERPRISE: (frozenset({PairState.PROPOSED}), frozenset({"enterprise", "manager"})),
    PairAction.ACCEPT_EXPERT: (frozenset({PairState.PROPOSED}), frozenset({"expert", "manager"})),
    PairAction.DECLINE: (frozenset({PairState.PROPOSED}), _ALL),
    PairAction.WITHDRAW: (frozenset({PairState.PROPOSED, PairState.ACCEPTED}), frozenset({"manager"})),
    PairAction.MEET: (frozenset({PairState.ACCEPTED}), _ALL),
    PairAction.START: (frozenset({PairState.MET}), _ALL),
    PairAction.SOLVE: (frozenset({PairState.MET, PairState.WORKING}), _ALL),
    PairAction.FAIL: (frozenset({PairState.MET, PairState.WORKING}), _ALL),
}


def sides(user, pairing: Pairing) -> set[str]:
    """Which side of the pairing the user acts for: the enterprise, the expert, the department."""
    out = set()
    if not policy.may(user, "transition", pairing):
        return out
    if own_enterprise_id(user) and own_enterprise_id(user) == pairing.need.enterprise_id:
        out.add("enterprise")
    if own_person_id(user) and pairing.expert.person_id and own_person_id(user) == pairing.expert.person_id:
        out.add("expert")
    if policy.may(user, "manage"):
        out.add("manager")
    return out


def allowed(user, pairing: Pairing) -> list[str]:
    """The actions this user may take on the pairing now."""
    mine = sides(user, pairing)
    out = []
    for action, (states, who) in TRANSITIONS.items():
        if pairing.state in states and mine & who:
            if action == PairAction.ACCEPT_ENTERPRISE and pairing.enterprise_ok_at:
                continue
            if action == PairAction.ACCEPT_EXPERT and pairing.expert_ok_at:
                continue
            out.append(action)
    return out


@transaction.atomic
def pairing_transition(*, pairing: Pairing, action: str, actor, met_on: dt.date | None = None,
                       outcome: str = "", outcome_note: str = "", cost_saved: Decimal | None = None,
                       note: str = "") -> Pairing:
    """The only way a pairing changes state: table, side, effects, a report line and an audit row."""
    pairing = Pairing.objects.select_for_update(of=("self",)).select_related("need", "expert").get(pk=pairing.pk)
    rule = TRANSITIONS.get(action)
    if rule is None or pairing.state not in rule[0]:
        raise ValidationError({"action": _("当前状态“%(s)s”不允许此操作") % {"s": PairState(pairing.state).label}})
    if action not in allowed(actor, pairing):
        raise PermissionDenied(_("无权执行此操作"))
    before = pairing.state
    now = timezone.now()
    if action == PairAction.ACCEPT_ENTERPRISE:
        pairing.enterprise_ok_at = now
    elif action == PairAction.ACCEPT_EXPERT:
        pairing.expert_ok_at = now
    if action in (PairAction.ACCEPT_ENTERPRISE, PairAction.ACCEPT_EXPERT):
        if pairing.enterprise_ok_at and pairing.expert_ok_at:
            pairing.state = PairState.ACCEPTED
    elif action == PairAction.DECLINE:
        pairing.state = PairState.DECLINED
        pairing.closed_at = now
    elif action == PairAction.WITHDRAW:
        pairing.state = PairState.WITHDRAWN
        pairing.closed_at = now
    elif action == PairAction.MEET:
        met_on = met_on or timezone.localdate()
        if met_on < timezone.localtime(pairing.need.posted_at).date() or met_on > timezone.localdate():
            raise ValidationError({"met_on": _("对接日期应在需求提出之后、不晚于今天")})
        pairing.first_meeting_on = met_on
        pairing.state = PairState.MET
    elif action == PairAction.START:
        pairing.state = PairState.WORKING
    elif action in (PairAction.SOLVE, PairAction.FAIL):
        if action == PairAction.SOLVE:
            if outcome not in OutcomeKind.values:
                raise ValidationError({"outcome": _("请选择成果类型")})
            if cost_saved is not None and cost_saved < 0:
                raise ValidationError({"cost_saved": _("节约成本不能为负")})
            pairing.outcome, pairing.outcome_note, pairing.cost_saved = outcome, outcome_note.strip(), cost_saved
        pairing.state = PairState.SOLVED if action == PairAction.SOLVE else PairState.UNSOLVED
        pairing.closed_at = now
    pairing.full_clean()
    pairing.save()
    text = f"{PairAction(action).label}" + (f"：{note.strip()}" if note.strip() else "")
    Report.objects.create(pairing=pairing, author=actor, text=text)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=pairing,
                 changes={"state": [before, pairing.state], "action": action})
    return pairing


@transaction.atomic
def pairing_rate(*, pairing: Pairing, rating: int, actor, comment: str = "") -> Pairing:
    """The enterprise rates a finished pairing (1–5), once."""
    pairing = Pairing.objects.select_for_update(of=("self",)).select_related("need", "expert").get(pk=pairing.pk)
    if "enterprise" not in sides(actor, pairing):
        raise PermissionDenied(_("只有提出需求的企业可以评价"))
    if pairing.state not in CLOSED_STATES:
        raise ValidationError({"rating": _("结对结束后才能评价")})
    if pairing.rating is not None:
        raise ValidationError({"rating": _("已评价")})
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("评分应为 1–5")})
    pairing.rating, pairing.rating_comment = int(rating), comment.strip()[:300]
    pairing.full_clean()
    pairing.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=pairing, changes={"rating": [None, pairing.rating]})
    return pairing


@transaction.atomic
def report_add(*, pairing: Pairing, text: str, actor) -> Report:
    """A progress report by either side or the department."""
    if not sides(actor, pairing):
        raise PermissionDenied(_("无权执行此操作"))
    if not text.strip():
        raise ValidationError({"text": _("请填写进展")})
    if pairing.state not in (PairState.ACCEPTED, PairState.MET, PairState.WORKING):
        raise ValidationError({"text": _("结对进行中才能报告进展")})
    report = Report(pairing=pairing, author=actor, text=text.strip())
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report)
    return report
