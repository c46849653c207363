"""Pages: admin set-up and live response rates, QR sheet, phone ballot, judge scoring, sign-off, big screen,
results."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.excel import write_workbook
from bole.core.params import id_param
from bole.core.scoping import own_person_id

from . import forms, selectors, services
from .choices import EvaluationKind, EvaluationStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _managed(request, pk, action: str = "change"):
    """An evaluation the user runs (admin or unit admin in scope); 404 otherwise."""
    return selectors.evaluation_get(user=request.user, pk=pk, action=action)


# --- admin pages ----------------------------------------------------------------------------------


@login_required
def evaluation_list(request):
    """Evaluations in scope, the user's judging seats and (for cadres) their own published results."""
    ctx = {
        "evaluations": selectors.evaluation_list(user=request.user)[:200],
        "seats": selectors.judge_seats(user=request.user),
        "mine": selectors.my_results(user=request.user),
        "can_add": selectors.may(request.user, "add"),
        "manager": selectors.may(request.user, "change"),
    }
    return render(request, "evaluation/list.html", ctx)


@login_required
def evaluation_create(request):
    """A new evaluation (draft)."""
    if not selectors.may(request.user, "add"):
        raise PermissionDenied
    form = forms.EvaluationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ev = services.evaluation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("evaluation-detail", pk=ev.pk)
    return render(request, "evaluation/form.html", {"form": form, "title": _("新建测评")})


@login_required
def evaluation_detail(request, pk):
    """The organiser's page: set-up while draft, live response rates or judging progress while open."""
    ev = selectors.evaluation_get(user=request.user, pk=pk)
    manager = selectors.is_manager(request.user, ev)
    if not manager:
        return redirect("evaluation-results", pk=ev.pk)
    draft = ev.status == EvaluationStatus.DRAFT
    ctx = {
        "ev": ev,
        "criteria": ev.criteria.all(),
        "groups": ev.groups.all(),
        "subjects": ev.subjects.select_related("person", "unit"),
        "judges": ev.judges.select_related("unit", "user"),
        "rates": selectors.response_rates(evaluation=ev) if not ev.is_judged else None,
        "counts": selectors.ballot_counts(evaluation=ev) if ev.kind == EvaluationKind.BALLOT else None,
        "mix_min": settings.BOLE_BALLOT_MIX_MIN,
        "draft": draft,
        "next_states": [(s, EvaluationStatus(s).label) for s in sorted(services.TRANSITIONS[ev.status])],
        # distinct ids: several small forms share one page
        "criterion_form": forms.CriterionForm(auto_id="crit_%s"),
        "group_form": forms.GroupForm(auto_id="grp_%s"),
        "subject_form": forms.SubjectForm(auto_id="subj_%s", user=request.user),
        "judge_form": forms.JudgeForm(auto_id="judge_%s", user=request.user),
        "tokens_form": forms.TokensForm(evaluation=ev, auto_id="tok_%s"),
        "result": selectors.current_result(evaluation=ev),
        "signoffs": selectors.signoff_overview(evaluation=ev) if ev.is_signoff else None,
    }
    return render(request, "evaluation/detail.html", ctx)


@login_required
def evaluation_rates(request, pk):
    """HTMX partial: live response rate per rater group (counts only, never results)."""
    ev = _managed(request, pk, "view")
    if not selectors.is_manager(request.user, ev):
        raise Http404
    return render(request, "evaluation/_rates.html", {"ev": ev, "rates": selectors.response_rates(evaluation=ev),
                                                      "counts": selectors.ballot_counts(evaluation=ev),
                                                      "mix_min": settings.BOLE_BALLOT_MIX_MIN})


@login_required
@require_POST
def evaluation_add(request, pk, what):
    """Add a criterion, rater group, subject or judge (one form per kind)."""
    ev = _managed(request, pk)
    form_class = {"criterion": forms.CriterionForm, "group": forms.GroupForm, "subject": forms.SubjectForm,
                  "judge": forms.JudgeForm}.get(what)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, **({"user": request.user} if what in {"subject", "judge"} else {}))
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("evaluation-detail", pk=ev.pk)
    data = form.cleaned_data
    try:
        if what == "criterion":
            services.criterion_add(evaluation=ev, actor=request.user, **data)
        elif what == "group":
            services.rater_group_add(evaluation=ev, actor=request.user, **data)
        elif what == "subject":
            services.subject_add(evaluation=ev, person=data["person"], label=data["label"], panel=data["panel"],
                                 actor=request.user)
        else:
            services.judge_add(evaluation=ev, user=data["user"], panel=data["panel"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation-detail", pk=ev.pk)


@login_required
@require_POST
def evaluation_transition(request, pk):
    """Open, close (computes results) or publish."""
    ev = _managed(request, pk, "transition")
    try:
        services.evaluation_transition(evaluation=ev, to=request.POST.get("to", ""), actor=request.user)
    except (ValidationError, ValueError) as exc:
        _errors(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
    else:
        messages.success(request, _("状态已更新为“%(s)s”") % {"s": ev.get_status_display()})
    return redirect("evaluation-detail", pk=ev.pk)


@login_required
@require_POST
def tokens_issue(request, pk):
    """Generate one-time ballot tokens for a rater group."""
    ev = _managed(request, pk)
    form = forms.TokensForm(request.POST, evaluation=ev)
    if form.is_valid():
        group = ev.groups.get(pk=form.cleaned_data["group"])
        try:
            n = services.tokens_issue(evaluation=ev, group=group, count=form.cleaned_data["count"], actor=request.user)
            messages.success(request, _("已生成 %(n)s 个测评码") % {"n": n})
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("evaluation-detail", pk=ev.pk)


@login_required
def tokens_print(request, pk):
    """A print-ready sheet of QR codes, one per unused token (cut along the lines and hand out)."""
    import segno

    ev = _managed(request, pk)
    group_id = id_param(request.GET, "group")
    tokens = selectors.unused_tokens(evaluation=ev, group_id=group_id)
    cards = []
    for t in tokens[:2000]:
        url = request.build_absolute_uri(reverse("evaluation-ballot", args=[t.token]))
        cards.append({"group": t.group.name, "url": url, "code": t.token[:6],
                      "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2)})
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=ev,
                 changes={"qr_sheet": [None, {"group": group_id or "all", "count": len(cards)}]})
    return render(request, "evaluation/tokens_print.html", {"ev": ev, "cards": cards})


# --- results --------------------------------------------------------------------------------------


def _visible_result(request, ev):
    """The result and rows this user may see: organisers all rows once closed; subjects their own row once
    published."""
    manager = selectors.is_manager(request.user, ev)
    result = selectors.current_result(evaluation=ev)
    if result is None:
        return manager, None, []
    rows = selectors.result_rows(result=result)
    if not manager:
        if ev.status != EvaluationStatus.PUBLISHED:
            return manager, None, []
        rows = rows.filter(subject__person_id=own_person_id(request.user) or -1)
    return manager, result, list(rows)


@login_required
def results(request, pk):
    """Per subject: group scores, final score, rank, interval, flags; and how it was computed."""
    ev = selectors.evaluation_get(user=request.user, pk=pk)
    manager, result, rows = _visible_result(request, ev)
    groups = list(ev.groups.all()) if not ev.is_judged else []
    for r in rows:
        r.group_list = [r.group_scores.get(g.code) for g in groups]
    import json

    params = [(k, json.dumps(v, ensure_ascii=False))
              for k, v in selectors.visible_parameters(result=result, manager=manager).items()]
    ctx = {"ev": ev, "manager": manager, "result": result, "rows": rows, "groups": groups, "params": params,
           "fairness": result.summary.get("fairness", {}) if result else {},
           "summary": selectors.visible_summary(result=result, manager=manager),
           "counts": selectors.ballot_counts(evaluation=ev) if manager and ev.kind == EvaluationKind.BALLOT else None}
    return render(request, "evaluation/results.html", ctx)


@login_required
def results_export(request, pk):
    """The results as .xlsx (organisers only)."""
    ev = _managed(request, pk, "export")
    result = selectors.current_result(evaluation=ev)
    if result is None:
        raise Http404
    groups = list(ev.groups.all()) if not ev.is_judged else []
    per_panel = result.summary.get("ranking") == "per_panel"
    headers = [*([_("评审组")] if per_panel else []), _("名次"), _("测评对象"), _("单位"), *[g.name for g in groups],
               _("有效票数/评委数"), _("最终得分"),
               _("90%区间下限"), _("90%区间上限"), _("名次区间"), _("简单平均"), _("去掉最高最低分"),
               _("宽严校正分"), _("提示")]
    rows = []
    for r in selectors.result_rows(result=result):
        rows.append([*([r.panel or ""] if per_panel else []),
                     r.rank or "", r.subject.label, r.subject.unit.name if r.subject.unit_id else "",
                     *[r.group_scores.get(g.code) for g in groups], r.n_ratings, r.final_score, r.score_lo,
                     r.score_hi, f"{r.rank_lo}–{r.rank_hi}" if r.rank_lo else "", r.raw_mean, r.trimmed_mean,
                     r.fair_average, "；".join(r.flags)])
    rows.append([])
    rows.append([_("计分规则"), result.get_rule_display(), _("引擎"), f"{result.engine} {result.engine_version}"])
    data = write_workbook(sheet_title=_("测评结果"), headers=headers, rows=rows, title=ev.name)
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=ev, changes={"results": [None, len(rows)]})
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename=evaluation-{ev.pk}-results.xlsx"
    return resp


# --- big screen -----------------------------------------------------------------------------------


def _board(request, ev) -> dict:
    by_rank = request.GET.get("order") == "rank"
    return {"ev": ev, "board": selectors.scoreboard(evaluation=ev, by_rank=by_rank), "order": "rank" if by_rank else ""}


@login_required
def screen(request, pk):
    """The projected big-screen scoreboard (auto-refreshing, no controls: the host drives it from `screen_host`).
    `?order=rank` shows revealed contestants best first."""
    ev = _managed(request, pk, "view")
    if not selectors.is_manager(request.user, ev):
        raise Http404
    return render(request, "evaluation/screen.html", _board(request, ev))


@login_required
def screen_board(request, pk):
    """HTMX partial of the projected scoreboard, polled every few seconds."""
    ev = _managed(request, pk, "view")
    if not selectors.is_manager(request.user, ev):
        raise Http404
    return render(request, "evaluation/_board.html", _board(request, ev))


@login_required
def screen_host(request, pk):
    """The host's page beside the big screen: 亮分 / 隐藏 for each contestant, on the host's own device."""
    ev = _managed(request, pk)
    return render(request, "evaluation/screen_host.html", _board(request, ev))


@login_required
@require_POST
def subject_reveal(request, pk, sid):
    """The host reveals (or hides) one contestant's scores on the big screen."""
    ev = _managed(request, pk)
    subject = ev.subjects.filter(pk=sid).first()
    if subject is None:
        raise Http404
    try:
        services.subject_reveal(subject=subject, revealed=request.POST.get("revealed") == "1", actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/_host_board.html", _board(request, ev))
    return redirect("evaluation-screen-host", pk=ev.pk)


# --- anonymous ballot (no login) ------------------------------------------------------------------


def _parse_ballot(post, subjects, criteria) -> dict:
    answers = {}
    for s in subjects:
        for c in criteria:
            raw = (post.get(f"s{s.pk}_c{c.pk}") or "").strip()
            if raw == "":
                continue
            if raw == "x":
                answers[(s.pk, c.pk)] = None
                continue
            try:
                answers[(s.pk, c.pk)] = float(raw)
            except ValueError:
                continue
    return answers


def ballot(request, token):
    """The phone ballot behind a QR code: score every subject on every criterion, once."""
    try:
        row = services.ballot_check(token=token)
    except services.BallotRejected as exc:
        return render(request, "evaluation/ballot.html", {"refused": exc.message, "code": exc.code},
                      status=410 if exc.code == "used" else 404 if exc.code == "unknown" else 403)
    form = selectors.ballot_form(evaluation_id=row["evaluation_id"], group_id=row["group_id"])
    error = ""
    if request.method == "POST":
        answers = _parse_ballot(request.POST, form["subjects"], form["criteria"])
        try:
            services.ballot_submit(token=token, answers=answers)
        except services.BallotRejected as exc:
            if exc.code != "invalid":
                return render(request, "evaluation/ballot.html", {"refused": exc.message, "code": exc.code},
                              status=410 if exc.code == "used" else 403)
            error = exc.message
        else:
            return render(request, "evaluation/ballot.html", {"done": True, "form": form})
    return render(request, "evaluation/ballot.html", {"form": form, "error": error, "posted": request.POST},
                  status=400 if error else 200)


# --- judges ---------------------------------------------------------------------------------------


@login_required
def judge_home(request):
    """A judge's events."""
    return render(request, "evaluation/judge_home.html", {"seats": selectors.judge_seats(user=request.user)})


@login_required
def judge_event(request, pk):
    """A judge's contestants with the judge's own progress; final submission. On a sign-off panel: the
    items awaiting the member's verdict and the conflict declaration."""
    seat = selectors.judge_seat_get(user=request.user, evaluation_id=pk)
    if seat.evaluation.is_signoff:
        sheet = selectors.signoff_sheet(seat=seat)
        return render(request, "evaluation/signoff_event.html", {
            "seat": seat, "ev": seat.evaluation, "sheet": sheet, "n_todo": sum(1 for r in sheet if r["todo"]),
        })
    sheet = selectors.judge_sheet(seat=seat)
    allowed = [r for r in sheet if r["allowed"]]
    return render(request, "evaluation/judge_event.html", {
        "seat": seat, "ev": seat.evaluation, "sheet": sheet,
        "n_done": sum(1 for r in allowed if r["done"]), "n_total": len(allowed),
    })


@login_required
def judge_subject(request, pk, sid):
    """Score one contestant on every criterion; can be revised until the judge submits."""
    seat = selectors.judge_seat_get(user=request.user, evaluation_id=pk)
    ev = seat.evaluation
    subject = ev.subjects.filter(pk=sid).select_related("unit").first()
    if subject is None:
        raise Http404
    if ev.is_signoff:
        return _signoff_subject(request, seat, subject)
    criteria = list(ev.criteria.all())
    row = next(r for r in selectors.judge_sheet(seat=seat) if r["subject"].pk == subject.pk)
    if request.method == "POST":
        scores = {}
        for c in criteria:
            raw = (request.POST.get(f"c{c.pk}") or "").strip()
            try:
                scores[c.pk] = float(raw)
            except ValueError:
                scores[c.pk] = None
        try:
            services.judge_scores_save(seat=seat, subject=subject, scores=scores, actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            row["scores"] = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        else:
            messages.success(request, _("已保存“%(s)s”的评分，提交前可修改") % {"s": subject.label})
            return redirect("evaluation-judge-event", pk=ev.pk)
    fields = [{"c": c, "value": row["scores"].get(c.pk, "")} for c in criteria]
    return render(request, "evaluation/judge_subject.html", {
        "seat": seat, "ev": ev, "subject": subject, "row": row, "fields": fields,
        "locked": seat.submitted_at is not None or ev.status != EvaluationStatus.OPEN,
    })


def _signoff_subject(request, seat, subject):
    """A sign-off member's verdict on one item: pass or fail with an opinion, final once signed."""
    ev = seat.evaluation
    form = forms.SignoffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signoff_record(seat=seat, subject=subject, verdict=form.cleaned_data["verdict"],
                                    opinion=form.cleaned_data["opinion"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已签署“%(s)s”") % {"s": subject.label})
            return redirect("evaluation-judge-event", pk=ev.pk)
    row = next(r for r in selectors.signoff_sheet(seat=seat) if r["subject"].pk == subject.pk)
    return render(request, "evaluation/signoff_subject.html", {
        "seat": seat, "ev": ev, "subject": subject, "row": row, "form": form,
        "open": ev.status == EvaluationStatus.OPEN and row["todo"],
    })


@login_required
@require_POST
def judge_conflict(request, pk):
    """申请回避 from the member's phone: the member is then left out of every verdict of this panel."""
    seat = selectors.judge_seat_get(user=request.user, evaluation_id=pk)
    if not seat.evaluation.is_signoff:
        raise Http404
    try:
        services.judge_conflict_declare(seat=seat, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, _("已申请回避，您不再参与本组签署"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation-judge-event", pk=pk)


@login_required
@require_POST
def judge_submit(request, pk):
    """Submit all scores; after this the judge can no longer change them."""
    seat = selectors.judge_seat_get(user=request.user, evaluation_id=pk)
    try:
        services.judge_submit(seat=seat, actor=request.user)
        messages.success(request, _("评分已提交，感谢您的辛勤工作"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation-judge-event", pk=pk)

