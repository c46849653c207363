"""人才创新创业大赛: the contest's writes and its seam to the evaluation engine.

A contest runs two judged evaluations — 初赛 and 决赛 — whose panels (评审组) are the contest's tracks. Judges are
seated and score on the evaluation pages; the engine computes the fair scores when a round's evaluation closes.
Everything this app needs from `bole.evaluation` goes through this module. The contest moves 报名 → 初赛 → 决赛 →
已评奖 through `contest_transition` alone: entering 初赛 builds the preliminary evaluation, entering 决赛 closes it,
takes the best of each track on and builds the final, entering 已评奖 closes the final and records the awards.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bole.core.audit import audit_build, audit_record
from bole.core.audit import audit_bulk as write_audit_rows
from bole.core.choices import AuditAction
from bole.core.records import record_create
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.engines.contest_places import advancing, award_places
from bole.evaluation import services as ev_services
from bole.evaluation.choices import EvaluationKind, EvaluationStatus, SubjectKind
from bole.evaluation.models import Evaluation, EventJudge, SubjectResult
from bole.org.models import Region

from .choices import ContestStatus
from .models import Contestant, ContestTrack, StartupProject, Talent, TalentContest
from .permissions import policy
from .services import covers

TRANSITIONS: dict[str, set[str]] = {
    ContestStatus.REGISTERING: {ContestStatus.PRELIMINARY},
    ContestStatus.PRELIMINARY: {ContestStatus.FINAL},
    ContestStatus.FINAL: {ContestStatus.AWARDED},
    ContestStatus.AWARDED: set(),
}

# 评分标准 of both rounds (max score each; weights equal to the max scores); more may be added on the round's
# evaluation page while it is a draft.
CRITERIA = [(gettext_lazy("技术创新性"), 30), (gettext_lazy("市场前景"), 25), (gettext_lazy("团队实力"), 25),
            (gettext_lazy("落地可行性"), 20)]
DEFAULT_PLAN = [["一等奖", 1], ["二等奖", 1], ["三等奖", 1], ["优胜奖", 0]]
REST = {"其余", "其他", "*", "0", "rest"}


def plan_parse(text: str) -> list[list[Any]]:
    """奖项设置 as typed, one award a line best first ("一等奖 1", "优胜奖 其余"); the plan or a message."""
    plan: list[list[Any]] = []
    for line in (text or "").replace("；", "\n").replace(";", "\n").splitlines():
        parts = line.replace("：", " ").replace(":", " ").replace("名", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValidationError({"award_plan": _("每行写一个奖项和名额，如“一等奖 1”，最后一行可写“优胜奖 其余”")})
        name, count = parts
        if count.lower() in REST or count == _("其余"):
            plan.append([name, 0])
        elif count.isdigit() and 1 <= int(count) <= 100:
            plan.append([name, int(count)])
        else:
            raise ValidationError({"award_plan": _("“%(v)s”的名额应是 1–100 的整数或“其余”") % {"v": name}})
    plan_check(plan)
    return plan


def plan_check(plan: list[list[Any]]) -> None:
    """An award plan: 1–8 awards with distinct names of at most 20 characters; only the last may take the rest."""
    if not 1 <= len(plan) <= 8:
        raise ValidationError({"award_plan": _("请设置 1–8 个奖项")})
    names = [str(n).strip() for n, _c in plan]
    if any(not n or len(n) > 20 for n in names) or len(set(names)) != len(names):
        raise ValidationError({"award_plan": _("奖项名称不能为空、不能重复，最多 20 个字")})
    if any(c == 0 for _n, c in plan[:-1]):
        raise ValidationError({"award_plan": _("只有最后一个奖项可以是“其余”")})


def plan_text(plan: list[list[Any]]) -> str:
    """A plan as the form shows it, one award a line; the rest in the reader's language (both are read back)."""
    return "\n".join(f"{n} {c if c else _('其余')}" for n, c in plan)


def _require_change(actor, contest: TalentContest) -> None:
    policy.require(actor, "manage")
    policy.require(actor, "change", contest)


@transaction.atomic
def contest_create(*, actor, name: str, year: int, region: Region, unit=None, description: str = "",
                   finalists_per_track: int = 4, award_plan: list | None = None,
                   tracks: list[str] | None = None) -> TalentContest:
    """Open a contest for registration in the actor's region, with its tracks."""
    policy.require(actor, "manage")
    if region is None or not covers(actor, "add", TalentContest, region.code):
        raise ValidationError({"region": _("区划不存在或不在您的管辖范围内")})
    plan = award_plan if award_plan is not None else DEFAULT_PLAN
    plan_check(plan)
    if not 1 <= int(finalists_per_track) <= 100:
        raise ValidationError({"finalists_per_track": _("每个赛道晋级决赛人数应在 1–100 之间")})
    contest = record_create(model=TalentContest, data={
        "name": (name or "").strip(), "year": year, "region": region, "region_code": region.code, "unit": unit,
        "description": description, "finalists_per_track": finalists_per_track, "award_plan": plan}, actor=actor)
    for track in tracks or []:
        track_add(actor=actor, contest=contest, name=track)
    return contest


@transaction.atomic
def track_add(*, actor, contest: TalentContest, name: str) -> ContestTrack:
    """A track (赛道), while the contest takes registrations."""
    _require_change(actor, contest)
    if contest.status != ContestStatus.REGISTERING:
        raise ValidationError(_("报名结束后不能再增加赛道"))
    name = (name or "").strip()

    def taken() -> bool:
        return ContestTrack.objects.filter(contest=contest, name=name).exists()

    error = {"name": _("该赛道已存在")}
    if taken():
        raise ValidationError(error)
    with one_per(taken, error):
        return record_create(model=ContestTrack, data={"contest": contest, "name": name,
                                                       "sort": contest.tracks.count()}, actor=actor)


@transaction.atomic
def contestant_add(*, actor, contest: TalentContest, track: ContestTrack, talent: Talent | None = None,
                   project: StartupProject | None = None, label: str = "") -> Contestant:
    """Register a contestant: a talent on the register, a startup project, or a talent with their project."""
    _require_change(actor, contest)
    if contest.status != ContestStatus.REGISTERING:
        raise ValidationError(_("报名已结束"))
    if track is None or track.contest_id != contest.pk:
        raise ValidationError({"track": _("赛道不属于本大赛")})
    if talent is None and project is None:
        raise ValidationError({"talent": _("请选择参赛人才或创业项目")})
    if talent is not None and not policy.may(actor, "view", talent):
        raise ValidationError({"talent": _("人才不存在或不在您的管辖范围内")})
    if project is not None and not policy.may(actor, "view", project):
        raise ValidationError({"project": _("创业项目不存在或不在您的管辖范围内")})
    label = (label or "").strip() or (f"{project.name}（{talent.name}）" if talent and project
                                      else project.name if project else talent.name)

    def taken() -> bool:
        entries = Contestant.objects.filter(contest=contest)
        return bool(talent and entries.filter(talent=talent).exists()
                    or project and entries.filter(project=project).exists())

    error = {"talent": _("该人才或项目已报名本大赛")}
    if taken():
        raise ValidationError(error)
    with one_per(taken, error):
        return record_create(model=Contestant, data={"contest": contest, "track": track, "talent": talent,
                                                     "project": project, "label": label[:120]}, actor=actor)


def current_round(contest: TalentContest) -> Evaluation | None:
    """The evaluation judges are seated on now: the final once it exists, else the preliminary."""
    pk = contest.final_id or contest.preliminary_id
    return Evaluation.objects.filter(pk=pk).first() if pk else None


@transaction.atomic
def judge_seat(*, actor, contest: TalentContest, user, track: ContestTrack | None = None) -> EventJudge:
    """Seat a judge login on the current round, on one track (its panel) or, without one, on all of them."""
    _require_change(actor, contest)
    ev = current_round(contest)
    if ev is None or contest.status == ContestStatus.AWARDED:
        raise ValidationError(_("初赛开始后才能安排评委"))
    if track is not None and track.contest_id != contest.pk:
        raise ValidationError({"track": _("赛道不属于本大赛")})
    return ev_services.judge_add(evaluation=ev, user=user, panel=track.name if track else "", actor=actor)


def _round_create(contest: TalentContest, entries: list[Contestant], *, final: bool, actor) -> Evaluation:
    """A draft judged evaluation of the round: the criteria, one subject per contestant on its track's panel."""
    stage = _("决赛") if final else _("初赛")
    ev = ev_services.evaluation_create(
        actor=actor, name=f"{contest.name}·{stage}", kind=EvaluationKind.PANEL, subject_kind=SubjectKind.ENTRY,
        unit=contest.unit, block_own_unit=False,
        description=_("%(c)s%(s)s：各赛道评委按评分标准打分，评委宽严校正后排名。") % {"c": contest.name, "s": stage})
    source = Evaluation.objects.filter(pk=contest.preliminary_id).first() if final else None
    if source is not None:
        criteria = [(c.name, c.max_score, c.weight) for c in source.criteria.all()]
    else:
        criteria = [(str(n), m, m) for n, m in CRITERIA]
    for name, max_score, weight in criteria:
        ev_services.criterion_add(evaluation=ev, name=name, max_score=max_score, weight=weight, actor=actor)
    field = "final_subject" if final else "preliminary_subject"
    for c in entries:
        person = c.talent.person if c.talent_id and c.talent.person_id else None
        subject = ev_services.subject_add(evaluation=ev, label=c.label, person=person, panel=c.track.name,
                                          actor=actor)
        Contestant.objects.filter(pk=c.pk).update(**{field: subject})
    return ev


def _closed_scores(ev: Evaluation, actor) -> dict[int, float | None]:
    """Subject id → the round's published fair score; closes the round's evaluation first if it is still open."""
    if ev.status == EvaluationStatus.DRAFT:
        raise ValidationError(_("“%(e)s”尚未开始评分") % {"e": ev.name})
    if ev.status == EvaluationStatus.OPEN:
        ev_services.evaluation_transition(evaluation=ev, to=EvaluationStatus.CLOSED, actor=actor)
    return dict(SubjectResult.objects.filter(result__evaluation=ev, result__is_current=True)
                .values_list("subject_id", "final_score"))


def _per_track(entries: list[Contestant]) -> dict[int, list[Contestant]]:
    out: dict[int, list[Contestant]] = {}
    for c in entries:
        out.setdefault(c.track_id, []).append(c)
    return out


def _save_rows(entries: list[Contestant], fields: list[str], actor) -> None:
    Contestant.objects.bulk_update(entries, fields)
    write_audit_rows([audit_build(actor=actor, action=AuditAction.UPDATE, obj=c,
                                  changes={f: [None, getattr(c, f)] for f in fields}) for c in entries])


def _start_preliminary(contest: TalentContest, actor) -> None:
    entries = list(contest.contestants.select_related("track", "talent").order_by("track__sort", "id"))
    if not entries:
        raise ValidationError(_("还没有参赛选手"))
    contest.preliminary = _round_create(contest, entries, final=False, actor=actor)


def _start_final(contest: TalentContest, actor) -> None:
    prelim = Evaluation.objects.get(pk=contest.preliminary_id)
    scores = _closed_scores(prelim, actor)
    entries = list(contest.contestants.select_related("track", "talent").order_by("track__sort", "id"))
    finalists = []
    for track_entries in _per_track(entries).values():
        by_id = {c.pk: scores.get(c.preliminary_subject_id) for c in track_entries}
        going = set(advancing(by_id, contest.finalists_per_track))
        for c in track_entries:
            c.preliminary_score, c.advanced = by_id[c.pk], c.pk in going
            if c.advanced:
                finalists.append(c)
    if not finalists:
        raise ValidationError(_("初赛没有有效得分，无人晋级决赛"))
    _save_rows(entries, ["preliminary_score", "advanced"], actor)
    contest.final = _round_create(contest, finalists, final=True, actor=actor)


def _award(contest: TalentContest, actor) -> None:
    final = Evaluation.objects.get(pk=contest.final_id)
    scores = _closed_scores(final, actor)
    finalists = list(contest.contestants.filter(advanced=True).select_related("track").order_by("track__sort", "id"))
    plan = [(str(n), int(c)) for n, c in contest.award_plan]
    for track_entries in _per_track(finalists).values():
        by_id = {c.pk: scores.get(c.final_subject_id) for c in track_entries}
        places = award_places(by_id, plan)
        for c in track_entries:
            c.final_score = by_id[c.pk]
            c.award, c.award_order = places.get(c.pk, ("", 0))
    _save_rows(finalists, ["final_score", "award", "award_order"], actor)


@transaction.atomic
def contest_transition(*, contest: TalentContest, to: str, actor) -> TalentContest:
    """The only way a contest changes state (報名 → 初赛 → 决赛 → 已评奖), with the round work each move needs."""
    contest = TalentContest.objects.select_for_update().get(pk=contest.pk)
    policy.require(actor, "manage")
    if not policy.may(actor, "transition", contest):
        raise PermissionDenied
    check_move(TRANSITIONS, ContestStatus, contest.status, to, field="to")
    before = contest.status
    if to == ContestStatus.PRELIMINARY:
        _start_preliminary(contest, actor)
    elif to == ContestStatus.FINAL:
        _start_final(contest, actor)
    else:
        _award(contest, actor)
    contest.status = to
    contest.save(update_fields=["status", "preliminary", "final"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=contest, changes={"status": [before, to]})
    return contest
