"""Writes of the online end test (成果检验在线测试): the county's staff write a class's quiz (single choice, multiple
choice, true/false; points and an answer key) and open it for a window; each member takes it once on their phone;
it is marked by `bole.engines.quiz` and the score is settled by `services.class_scores_record`, the same path as
imported scores (pass mark, certificate number, ledger points)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.audit import audit_record, diff, snapshot
from bole.core.choices import AuditAction
from bole.core.records import record_create
from bole.core.scoping import own_person_id
from bole.core.states import check_move
from bole.core.unique import one_per
from bole.engines import learning
from bole.engines import quiz as engine

from .choices import MemberStatus, QuestionKind, QuizStatus
from .models import ClassMember, Quiz, QuizQuestion, QuizSubmission, TrainingClass
from .permissions import policy
from .services import class_absence, class_scores_record

MOVES = {QuizStatus.DRAFT: {QuizStatus.OPEN}, QuizStatus.OPEN: {QuizStatus.CLOSED}}
TRUE_FALSE_OPTIONS = ["正确", "错误"]
MAX_OPTIONS = 8
LETTERS = "ABCDEFGH"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _require_writer(actor, training_class: TrainingClass) -> None:
    """The quiz is written by those who configure the class's plan (the county's Organization Department)."""
    if actor is None:
        return
    if not policy.may(actor, "quiz"):
        raise PermissionDenied
    if not policy.restrict(TrainingClass.objects.filter(pk=training_class.pk), actor, "change").exists():
        raise PermissionDenied


def _window(opens_at, closes_at) -> None:
    if opens_at is None:
        raise ValidationError({"opens_at": _("请填写开始时间")})
    if closes_at is None:
        raise ValidationError({"closes_at": _("请填写结束时间")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("结束时间须晚于开始时间")})


@transaction.atomic
def quiz_create(*, training_class: TrainingClass, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
                actor) -> Quiz:
    """A class's end-test quiz, as a draft (one per class)."""
    _require_writer(actor, training_class)
    _window(opens_at, closes_at)
    title = (title or "").strip() or _("%(c)s成果检验") % {"c": training_class.title}
    with one_per(lambda: Quiz.objects.filter(training_class=training_class).exists(), _("本班已有在线测试")):
        return record_create(model=Quiz, actor=actor, data={"training_class": training_class, "title": title[:120],
                                                            "opens_at": opens_at, "closes_at": closes_at})


@transaction.atomic
def quiz_update(*, quiz: Quiz, title: str, opens_at: dt.datetime, closes_at: dt.datetime, actor) -> Quiz:
    """Change a quiz's name or window (not once it has ended)."""
    _require_writer(actor, quiz.training_class)
    q = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if q.status == QuizStatus.CLOSED:
        raise ValidationError(_("测试已结束，不能修改"))
    _window(opens_at, closes_at)
    fields = ("title", "opens_at", "closes_at")
    before = snapshot(q, fields)
    q.title = (title or "").strip()[:120] or q.title
    q.opens_at, q.closes_at = opens_at, closes_at
    q.full_clean()
    q.save(update_fields=list(fields))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=q, changes=diff(before, snapshot(q, fields)))
    return q


def _options(kind: str, options: list[str]) -> list[str]:
    if kind == QuestionKind.TRUE_FALSE:
        return list(TRUE_FALSE_OPTIONS)
    out = [str(o).strip() for o in options if str(o).strip()]
    if len(out) > MAX_OPTIONS:
        raise ValidationError({"options": _("选项最多 %(n)s 个") % {"n": MAX_OPTIONS}})
    return out


def parse_key(text: str, n_options: int) -> list[int]:
    """An answer key as staff type it: letters (A, AC, A,C) or, for true/false, 对/错 (正确/错误, √/×, T/F)."""
    raw = (text or "").strip().upper().replace("，", ",").replace(",", "").replace(" ", "").replace("、", "")
    if raw in {"对", "正确", "√", "T", "TRUE"}:
        return [0]
    if raw in {"错", "错误", "×", "X", "F", "FALSE"}:
        return [1]
    if not raw or any(ch not in LETTERS[:n_options] for ch in raw):
        raise ValidationError({"key": _("答案须为选项字母（如 A 或 ACD），判断题填“对”或“错”")})
    return sorted({LETTERS.index(ch) for ch in raw})


_KEY_PROBLEMS = {
    "options": lambda: _("选择题至少需要两个选项"),
    "key-empty": lambda: _("请填写答案"),
    "key-range": lambda: _("答案须是已有的选项"),
    "key-single": lambda: _("单选题和判断题只能有一个答案"),
}


@transaction.atomic
def quiz_question_add(*, quiz: Quiz, kind: str, text: str, options: list[str], key: list[int],
                      points: Decimal | int | str, actor) -> QuizQuestion:
    """Add a question to a draft quiz, numbered after the last."""
    _require_writer(actor, quiz.training_class)
    q = Quiz.objects.select_for_update().get(pk=quiz.pk)
    if q.status != QuizStatus.DRAFT:
        raise ValidationError(_("测试已开放，不能再修改题目"))
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("题型无效")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写题目")})
    opts = _options(kind, options)
    problem = engine.key_problem(kind, len(opts), key)
    if problem:
        raise ValidationError({"options" if problem == "options" else "key": _KEY_PROBLEMS[problem]()})
    try:
        pts = Decimal(str(points))
    except InvalidOperation:
        raise ValidationError({"points": _("分值须为数字")}) from None
    if not (Decimal(0) < pts <= Decimal(100)):
        raise ValidationError({"points": _("分值须大于 0、不超过 100")})
    number = (q.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return record_create(model=QuizQuestion, actor=actor, data={
        "quiz": q, "number": number, "kind": kind, "text": text[:500], "options": opts,
        "key": sorted(set(key)), "points": pts.quantize(Decimal("0.1"))})


@transaction.atomic
def quiz_question_remove(*, question: QuizQuestion, actor) -> None:
    """Remove a question from a draft quiz (audited with what it was)."""
    q = Quiz.objects.select_for_update().select_related("training_class").get(pk=question.quiz_id)
    _require_writer(actor, q.training_class)
    if q.status != QuizStatus.DRAFT:
        raise ValidationError(_("测试已开放，不能再修改题目"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=question,
                 changes=diff(snapshot(question, ("number", "kind", "text", "points")), {}))
    question.delete()


@transaction.atomic
def quiz_transition(*, quiz: Quiz, to: str, actor, now: dt.datetime | None = None) -> Quiz:
    """开放 a draft quiz (it needs questions and a window not yet over) or 结束 an open one."""
    _require_writer(actor, quiz.training_class)
    q = Quiz.objects.select_for_update().get(pk=quiz.pk)
    check_move(MOVES, QuizStatus, q.status, to, field="to")
    if to == QuizStatus.OPEN:
        if not q.questions.exists():
            raise ValidationError({"to": _("请先添加题目")})
        if q.closes_at <= _now(now):
            raise ValidationError({"to": _("测试的结束时间已过，请先修改时间")})
    before = q.status
    q.status = to
    q.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=q, changes={"status": [before, to]})
    return q


def engine_questions(quiz: Quiz) -> list[engine.Question]:
    return [engine.Question(id=q.pk, kind=q.kind, n_options=len(q.options), key=frozenset(q.key), points=q.points)
            for q in quiz.questions.all()]


def member_withdrawn(member: ClassMember, *, now: dt.datetime | None = None) -> bool:
    """退学: withdrawn already, or past the 1/7 absence limit now (the close would withdraw them)."""
    if member.status == MemberStatus.WITHDRAWN:
        return True
    scheduled, attended = class_absence(member.training_class, now=now).get(member.person_id, (0.0, 0.0))
    return learning.absence_exceeded(scheduled, attended)


def quiz_is_open(quiz: Quiz, now: dt.datetime | None = None) -> bool:
    now = _now(now)
    return quiz.status == QuizStatus.OPEN and quiz.opens_at <= now <= quiz.closes_at


def _clean_answers(questions: list[QuizQuestion], answers: dict) -> dict[int, list[int]]:
    """{question id: option indices} from what was sent; an unknown question or option is named, never ignored."""
    by_id = {q.pk: q for q in questions}
    out: dict[int, list[int]] = {}
    for raw_id, raw in (answers or {}).items():
        try:
            qid = int(raw_id)
        except (TypeError, ValueError):
            qid = None
        q = by_id.get(qid)
        if q is None:
            raise ValidationError({"answers": _("不是本测试的题目：%(id)s") % {"id": str(raw_id)[:20]}})
        picked = raw if isinstance(raw, list | tuple) else [raw]
        try:
            idx = sorted({int(x) for x in picked})
        except (TypeError, ValueError):
            raise ValidationError({"answers": _("第 %(n)s 题的选项无效") % {"n": q.number}}) from None
        if any(i < 0 or i >= len(q.options) for i in idx):
            raise ValidationError({"answers": _("第 %(n)s 题的选项无效") % {"n": q.number}})
        if q.kind != QuestionKind.MULTIPLE and len(idx) > 1:
            raise ValidationError({"answers": _("第 %(n)s 题只能选一个答案") % {"n": q.number}})
        if idx:
            out[q.pk] = idx
    return out


@transaction.atomic
def quiz_submit(*, quiz: Quiz, person, answers: dict, actor, now: dt.datetime | None = None) -> QuizSubmission:
    """交卷: a member's one submission, marked at once; the score becomes their end-test score through the same
    settlement as imported scores. A second submission (a double tap, a second device) is refused with its own
    message; the database holds one per member and quiz."""
    now = _now(now)
    if actor is not None and (own_person_id(actor) != person.pk or not policy.may(actor, "quiz_take")):
        raise PermissionDenied(_("只能本人作答"))
    q = Quiz.objects.select_related("training_class__plan").get(pk=quiz.pk)
    member = ClassMember.objects.select_related("training_class").filter(training_class=q.training_class_id,
                                                                         person=person).first()
    if member is None:
        raise PermissionDenied(_("您不是本班学员"))

    def taken() -> bool:
        return QuizSubmission.objects.filter(quiz=q, person=person).exists()

    if taken():
        raise ValidationError(_("您已交卷，每人只能作答一次"))
    if not quiz_is_open(q, now):
        raise ValidationError(_("测试未开放或已结束"))
    if member_withdrawn(member, now=now):
        raise ValidationError(_("您已退学，不能参加成果检验"))
    questions = list(q.questions.all())
    chosen = _clean_answers(questions, answers)
    marked = engine.mark(engine_questions(q), chosen)
    with one_per(taken, _("您已交卷，每人只能作答一次")):
        row = QuizSubmission.objects.create(
            quiz=q, person=person, answers={str(k): v for k, v in chosen.items()},
            earned={str(k): str(v) for k, v in marked.earned.items()}, points=marked.points, score=marked.score,
            submitted_at=now)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row,
                 changes={"score": [None, str(marked.score)], "points": [None, str(marked.points)],
                          "engine": [None, marked.version]})
    # The settlement is the system's (marked automatically), the same one an import makes.
    class_scores_record(training_class=q.training_class, scores={person.pk: marked.score}, actor=None, now=now)
    return row
