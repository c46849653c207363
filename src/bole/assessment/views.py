"""Assessment pages: rounds and their workflow, ranking per group, the explanation of one result,
the records behind an indicator, the bulletin, and the imports of unit scores, tasks and values."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from bole.core import periods, plugins
from bole.core import views as generic
from bole.core.audit import audit_record
from bole.core.choices import AuditAction
from bole.core.excel import write_workbook
from bole.core.middleware import body_limit
from bole.core.params import id_param
from bole.core.scoping import own_person_id
from bole.core.views import RegisterPages
from bole.evaluation.selectors import evaluation_list
from bole.ledger.selectors import category_list, entries_behind
from bole.org.models import Person

from . import forms, selectors, services
from .background import bulletin_submit, compute_submit
from .choices import IndicatorKind, ObjectionStatus, RoundStatus
from .compute import GRADES
from .models import (
    GradeDecision,
    Indicator,
    ManualValue,
    Objection,
    Result,
    Round,
    TaskTally,
    UnitScore,
)
from .parameters import round_parameters, tie_breaker_names
from .permissions import policy
from .registers import REGISTERS

# Button labels, translated when the page is rendered.
NEXT_ACTIONS = {
    RoundStatus.DRAFT: [(RoundStatus.COLLECTING, gettext_noop("开始采集数据"))],
    RoundStatus.COLLECTING: [(RoundStatus.COMPUTED, gettext_noop("计算")),
                             (RoundStatus.DRAFT, gettext_noop("退回草稿"))],
    RoundStatus.COMPUTED: [(RoundStatus.COMPUTED, gettext_noop("重新计算")),
                           (RoundStatus.PUBLICITY, gettext_noop("进入公示")),
                           (RoundStatus.COLLECTING, gettext_noop("退回采集"))],
    RoundStatus.PUBLICITY: [(RoundStatus.PUBLISHED, gettext_noop("发布")),
                            (RoundStatus.COMPUTED, gettext_noop("撤回公示"))],
    RoundStatus.PUBLISHED: [(RoundStatus.FROZEN, gettext_noop("归档"))],
    RoundStatus.FROZEN: [],
}


def _round(request, pk) -> Round:
    return policy.get(selectors.round_list(user=request.user), request.user, pk)


@login_required
def home(request):
    """Schemes and their rounds; a cadre goes straight to their own latest result."""
    rounds = selectors.round_list(user=request.user).order_by("scheme_id", "-period")
    county = policy.may(request.user, "manage")
    mine = None
    if policy.may(request.user, "own_results"):
        mine = (selectors.history(user=request.user, person_id=own_person_id(request.user),
                                  scheme=rounds[0].scheme) if rounds else [])
    return render(request, "assessment/home.html", {
        "schemes": selectors.scheme_list(user=request.user).prefetch_related("indicators"),
        "rounds": rounds, "mine": mine, "is_county": county,
        "registers": REGISTERS.values() if county else [],
    })


@login_required
def round_detail(request, pk):
    """A round: status and timeline, workflow actions, grade counts, objections, inputs-changed warning."""
    rnd = _round(request, pk)
    county = policy.may(request.user, "manage")
    my_result = None
    if policy.may(request.user, "own_results"):
        my_result = selectors.result_list(user=request.user, round=rnd).filter(
            person_id=own_person_id(request.user)).first()
    ctx = {
        "round": rnd,
        "is_county": county,
        "actions": [(to, _(label)) for to, label in NEXT_ACTIONS[rnd.status]] if county else [],
        **(_admin_context(request, rnd) if county else {}),
        "counts": selectors.grade_counts(user=request.user, round=rnd),
        "grades": GRADES,
        "objections": selectors.objection_list(user=request.user, round=rnd),
        "events": rnd.events.select_related("actor"),
        "changed": county and rnd.status in {RoundStatus.COMPUTED, RoundStatus.PUBLICITY, RoundStatus.PUBLISHED,
                                             RoundStatus.FROZEN} and selectors.inputs_changed(rnd),
        "my_result": my_result,
        "can_object": my_result is not None and rnd.status == RoundStatus.PUBLICITY,
        "upheld": ObjectionStatus.UPHELD, "dismissed": ObjectionStatus.DISMISSED,
    }
    if county and rnd.computed_at:
        names = dict(rnd.scheme.indicators.values_list("code", "name"))
        categories = {c.code: c.label for c in category_list(user=request.user)}
        ctx["computation"] = round_parameters(rnd.parameters or {}, names, categories)
    return render(request, "assessment/round.html", ctx)


@login_required
@require_POST
def round_transition(request, pk):
    rnd = _round(request, pk)
    policy.require(request.user, "manage")
    to = request.POST.get("to", "")
    if to == RoundStatus.COMPUTED:  # computing a large round takes a while: a background job with a progress bar
        job = compute_submit(rnd=rnd, note=request.POST.get("note", ""), owner=request.user)
        return redirect(reverse("job-detail", args=[job.pk]))
    try:
        services.round_transition(round=rnd, to=to, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("已完成：%(s)s") % {"s": RoundStatus(to).label})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("assessment-round", args=[pk]))


def _ranking_rows(request, rnd):
    qs = selectors.result_list(user=request.user, round=rnd)
    g = request.GET
    if g.get("group"):
        qs = qs.filter(group=g["group"])
    if g.get("grade"):
        qs = qs.filter(grade=g["grade"])
    if g.get("unit"):
        qs = qs.filter(unit_id=id_param(g, "unit"))
    if g.get("q"):
        qs = qs.filter(person__name__icontains=g["q"].strip())
    return qs.order_by("group", "position")


@login_required
def ranking(request, pk):
    """Ranking per group with filters, movement against the previous round and the distribution chart."""
    rnd = _round(request, pk)
    policy.require(request.user, "rankings")
    scoped = selectors.result_list(user=request.user, round=rnd)
    qs = _ranking_rows(request, rnd)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    for r in page.object_list:
        r.move = (r.prev_rank - r.rank) if r.prev_rank else None
        r.move_abs = abs(r.move or 0)
    totals = [float(t) for t in qs.values_list("total", flat=True)]
    bins = list(range(0, 101, 5))
    hist = Counter(min(int(t // 5), 19) for t in totals)
    chart = {
        "bins": [f"{b}–{b + 5}" for b in bins[:-1]],
        "counts": [hist.get(i, 0) for i in range(20)],
        "grades": [{"name": _(g), "value": n} for g, n in Counter(qs.values_list("grade", flat=True)).items()],
        "labels": {"hist": _("总分分布"), "grades": _("等次分布")},
    }
    params = request.GET.copy()
    params.pop("page", None)
    groups = sorted(scoped.values_list("group", flat=True).distinct())
    units = scoped.values_list("unit_id", "unit__name").distinct().order_by("unit__name")
    return render(request, "assessment/ranking.html", {
        "round": rnd, "page": page, "chart": chart, "groups": groups,
        "units": units, "grades": GRADES, "g": request.GET, "query": params.urlencode(),
        "can_export": policy.allows(request.user, "export", Result),
    })


@login_required
def ranking_print(request, pk):
    """The ranking on A4 (all rows the filters select, a table per group): the 公示 list while in publicity."""
    rnd = _round(request, pk)
    policy.require(request.user, "rankings")
    groups: dict[str, list] = {}
    for r in _ranking_rows(request, rnd):
        groups.setdefault(r.group, []).append(r)
    params = request.GET.copy()
    params.pop("page", None)
    heading = _("考核结果公示名单") if rnd.status == RoundStatus.PUBLICITY else _("考核排名")
    return render(request, "assessment/ranking_print.html", {
        "round": rnd, "groups": list(groups.items()), "heading": heading, "period_label": periods.label(rnd.period),
        "today": timezone.localdate(), "query": params.urlencode(),
        "filtered": any(request.GET.get(k) for k in ("q", "group", "unit", "grade")),
    })


@login_required
def ranking_export(request, pk):
    """The (filtered) ranking as .xlsx."""
    rnd = _round(request, pk)
    policy.require(request.user, "rankings")
    if not policy.allows(request.user, "export", Result):
        raise PermissionDenied
    qs = _ranking_rows(request, rnd)
    codes = [i for i in rnd.scheme.indicators.order_by("sort", "id")]
    decimals = rnd.parameters.get("decimals", 2)

    def rows():
        for r in qs.iterator(chunk_size=2000):
            units = dict(zip(r.breakdown["codes"], r.breakdown["units"], strict=True))
            yield [r.group, r.rank, r.person.name, r.unit.name, *[units.get(i.code, 0) / 10**decimals for i in codes],
                   float(r.total), r.grade, r.prev_rank or "", (r.prev_rank - r.rank) if r.prev_rank else ""]

    data = write_workbook(
        sheet_title=str(rnd.title)[:31],
        headers=[_("排名组"), _("名次"), _("姓名"), _("单位"), *[f"{i.name}（{i.weight.normalize():f}）" for i in codes],
                 _("总分"), _("等次"), _("上期名次"), _("名次变化")],
        rows=rows(),
    )

    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=rnd, changes={"rows": qs.count()})
    resp = HttpResponse(data, content_type=generic.XLSX)
    resp["Content-Disposition"] = f"attachment; filename=ranking-{rnd.period}.xlsx"
    return resp


@login_required
def explain(request, pk, person_id):
    """Why a person stands where they stand: every indicator's raw value, normalised value, weight and
    contribution (adding up exactly to the total), rank, grade, movement and the trend over rounds."""
    rnd = _round(request, pk)
    result = policy.get(selectors.result_list(user=request.user, round=rnd), request.user,
                        Result.objects.filter(round=rnd, person_id=person_id).values_list("pk", flat=True).first())
    lines, total = selectors.explanation(result)
    hist = selectors.history(user=request.user, person_id=person_id, scheme=rnd.scheme)
    trend = {
        "periods": [h.round.period for h in hist],
        "totals": [float(h.total) for h in hist],
        "ranks": [h.rank for h in hist],
        "labels": {"total": _("总分"), "rank": _("组内名次")},
    }
    return render(request, "assessment/explain.html", {
        "round": rnd, "result": result, "lines": lines, "sum": total, "flags": selectors.result_flags(result),
        "trend": trend, "history": hist,
        "movement": (result.prev_rank - result.rank) if result.prev_rank else None,
        "can_object": policy.may(request.user, "object") and rnd.status == RoundStatus.PUBLICITY,
        "objections": selectors.objection_list(user=request.user, round=rnd).filter(person_id=person_id),
    })


@login_required
def records(request, pk, person_id, code):
    """The records behind one indicator value: unit scores, task tallies, imported values, ledger entries."""
    rnd = _round(request, pk)
    result = policy.get(selectors.result_list(user=request.user, round=rnd), request.user,
                        Result.objects.filter(round=rnd, person_id=person_id).values_list("pk", flat=True).first())
    ind = rnd.scheme.indicators.filter(code=code).first()
    if ind is None:
        raise Http404
    if ind.kind == IndicatorKind.LEDGER:
        ids = ",".join(str(c.pk) for c in ind.categories.all())
        period_filter = rnd.period if periods.parse(rnd.period)[1] else ""
        entries = entries_behind(user=request.user, person_id=person_id, period=rnd.period,
                                 category_ids=[c.pk for c in ind.categories.all()])
        return render(request, "assessment/records.html", {
            "round": rnd, "result": result, "indicator": ind, "entries": entries.order_by("period", "id"),
            "ledger_url": f"{reverse('ledger-list')}?person={person_id}&categories={ids}&period={period_filter}",
        })
    rows = []
    if ind.kind == IndicatorKind.UNIT_SCORE:
        # Whoever may see this result may see the unit score it was computed from.
        rows = [(result.unit.name, s.period, s.score, s.note) for s in
                UnitScore.objects.filter(unit_id=result.unit_id, period=rnd.period)]
        headers = [_("单位"), _("周期"), _("综合考评得分"), _("备注")]
    elif ind.kind == IndicatorKind.MECHANISM:
        metric = plugins.metrics().get(ind.metric)
        records_of = metric.resolve_records() if metric else None
        headers, rows = records_of(person_id, rnd.period) if records_of else ([], [])
    elif ind.kind == IndicatorKind.TASK_RATE:
        rows = [(t.period, t.assigned, t.completed, t.note) for t in policy.restrict(
            TaskTally.objects.filter(person_id=person_id, period=rnd.period), request.user)]
        headers = [_("周期"), _("交办任务数"), _("完成任务数"), _("备注")]
    else:
        src = rnd.sources.filter(indicator=ind).first()
        if src is not None:
            return redirect(_evaluation_url(src.evaluation_id))
        rows = [(v.metric, v.period, v.value, v.note) for v in policy.restrict(
            ManualValue.objects.filter(person_id=person_id, period=rnd.period, metric=ind.metric or ind.code),
            request.user)]
        headers = [_("数值代码"), _("周期"), _("数值"), _("备注")]
    return render(request, "assessment/records.html", {"round": rnd, "result": result, "indicator": ind,
                                                       "rows": rows, "headers": headers})


def _evaluation_url(evaluation_id: int) -> str:
    from django.urls import NoReverseMatch

    for name in ("evaluation-detail", "evaluation-evaluation"):
        try:
            return reverse(name, args=[evaluation_id])
        except NoReverseMatch:
            continue
    return reverse("assessment-home")


@login_required
@require_POST
def bulletin(request, pk):
    """考核结果通报 (.docx) of a published or frozen round, made by a background job."""
    rnd = _round(request, pk)
    policy.require(request.user, "manage")
    if rnd.status not in {RoundStatus.PUBLISHED, RoundStatus.FROZEN}:
        raise Http404
    job = bulletin_submit(rnd=rnd, owner=request.user)
    return redirect(reverse("job-detail", args=[job.pk]))


@login_required
@require_POST
def objection_lodge(request, pk):
    rnd = _round(request, pk)
    policy.require(request.user, "object")
    person_id = own_person_id(request.user)

    try:
        services.objection_lodge(round=rnd, person=Person.objects.get(pk=person_id),
                                 reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, _("异议已提交，请等待答复"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("assessment-explain", args=[pk, person_id]))


@login_required
@require_POST
def objection_answer(request, pk):
    obj = get_object_or_404(Objection, pk=pk)
    policy.require(request.user, "manage")
    try:
        services.objection_answer(objection=obj, outcome=request.POST.get("outcome", ""),
                                  answer=request.POST.get("answer", ""), actor=request.user,
                                  grade=request.POST.get("grade") or None)
        messages.success(request, _("已答复"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("assessment-round", args=[obj.round_id]))


# --- the county admin's pages: schemes, new rounds, evaluation links, grade decisions ---------------

def _require_county(request) -> None:
    policy.require(request.user, "manage")


def _admin_context(request, rnd: Round) -> dict:
    """What the county admin sees on a round: publishing date, evaluation links, the 优秀 places of each group and
    what waits for a decision there, grade decisions."""
    editable = rnd.status in services.EDITABLE
    publish_from = services.publish_from(rnd) if rnd.status == RoundStatus.PUBLICITY else None
    rating = rnd.scheme.indicators.filter(kind=IndicatorKind.EVALUATION).order_by("sort", "id")
    linked = {s.indicator_id: s.evaluation for s in rnd.sources.select_related("evaluation")}
    quota = selectors.quota_summary(rnd)
    return {
        "editable": editable,
        "publish_from": publish_from,
        "publish_waits": publish_from is not None and timezone.localdate() < publish_from,
        "sources": [(ind, linked.get(ind.pk)) for ind in rating],
        "evaluations": list(evaluation_list(user=request.user).filter(subject_kind="person")
                            .order_by("-created_at")[:100]) if editable and rating else [],
        "decisions": rnd.decisions.select_related("person__unit", "decided_by").order_by("decided_at"),
        "decision_form": forms.DecisionForm(user=request.user, target=rnd.scheme.target) if editable else None,
        "quota": quota,
        "quota_issues": [q for q in quota if q.unsettled],
    }


def _form_errors(form, exc: ValidationError, aliases: dict[str, str] | None = None, plain: str | None = None) -> None:
    """A service's errors on the form: by field where the form has it (errors without a field on `plain`),
    above the form otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(plain, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _indicator_rows(formset) -> list[dict]:
    """The kept indicator rows of a valid formset, in page order, as the scheme services take them."""
    rows = []
    for f in formset.forms:
        if not f.cleaned_data or f.cleaned_data.get("DELETE"):
            continue
        row = {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        if not row.get("id"):
            row.pop("id", None)
        rows.append(row)
    return rows


def _weight_summary(formset) -> dict:
    """Live totals of the typed rows (not yet validated): how many indicators, what the weights add up to."""
    from decimal import Decimal, InvalidOperation

    count, total = 0, Decimal(0)
    for f in formset.forms:
        if (formset.is_bound and f["DELETE"].value()) or not (f["code"].value() or f["name"].value()):
            continue
        count += 1
        try:
            total += Decimal(str(f["weight"].value() or 0))
        except InvalidOperation:
            continue
    return {"count": count, "total": total, "max": services.MAX_INDICATORS,
            "ok": total == 100 and 0 < count <= services.MAX_INDICATORS}


def _scheme_form(request, scheme, data=None, initial=None) -> forms.SchemeForm:
    """The scheme form; the version it replaces is another scheme the user may see."""
    form = forms.SchemeForm(data, initial=initial)
    form.fields["replaces"].queryset = selectors.scheme_list(user=request.user).exclude(pk=scheme.pk if scheme else None)
    return form


@login_required
def scheme_edit(request, pk=None):
    """A scheme and its indicators on one page (new or existing); a locked scheme is shown read-only with
    the reason, a copy button (new version) and retire/revive."""
    _require_county(request)
    scheme = policy.get(selectors.scheme_list(user=request.user), request.user, pk) if pk else None
    locked = scheme is not None and selectors.scheme_locked(scheme)
    if request.method == "POST":
        data = request.POST.copy()
        if "add_row" in data:  # one more blank row, showing the defaults of a new indicator
            n = int(data.get("ind-TOTAL_FORMS") or 0)
            data["ind-TOTAL_FORMS"] = str(n + 1)
            for name in ("direction", "normalisation", "missing"):
                data[f"ind-{n}-{name}"] = str(Indicator._meta.get_field(name).default)
        form, formset = _scheme_form(request, scheme, data), forms.indicator_formset(data)
        if request.GET.get("preview"):
            return render(request, "assessment/_weights.html", {"weights": _weight_summary(formset)})
        if "add_row" not in data and form.is_valid() and formset.is_valid():
            try:
                saved = services.scheme_save(scheme=scheme, indicators=_indicator_rows(formset), actor=request.user,
                                             **form.scheme_data())
            except ValidationError as exc:
                _form_errors(form, exc, {"excellent_share": "excellent_pct"})
            else:
                messages.success(request, _("方案已保存"))
                return redirect("assessment-scheme", pk=saved.pk)
    else:
        indicators = list(scheme.indicators.prefetch_related("categories")) if scheme else []
        form = _scheme_form(request, scheme, initial=forms.SchemeForm.initial_of(scheme) if scheme else None)
        formset = forms.indicator_formset(initial=[forms.IndicatorForm.initial_of(i) for i in indicators],
                                          extra=1 if scheme else 3)
    named = tie_breaker_names(scheme.tie_breakers, dict(scheme.indicators.values_list("code", "name"))) if scheme else ""
    if scheme and scheme.tie_breakers:
        field = form.fields["tie_breakers"]
        field.help_text = _("%(help)s；现为：%(names)s") % {"help": field.help_text, "names": named}
    return render(request, "assessment/scheme_form.html", {
        "scheme": scheme, "locked": locked, "form": form, "formset": formset, "weights": _weight_summary(formset),
        "rounds": scheme.rounds.order_by("-period") if scheme else [],
        "tie_breakers": named,
    })


@login_required
@require_POST
def scheme_copy(request, pk):
    """Copy a scheme as a new version under a new name (the way to change a locked scheme)."""
    _require_county(request)
    scheme = policy.get(selectors.scheme_list(user=request.user), request.user, pk)
    try:
        copy = services.scheme_copy(scheme=scheme, name=request.POST.get("name", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("assessment-scheme", pk=pk)
    messages.success(request, _("已复制为新方案，可修改后用于新的轮次"))
    return redirect("assessment-scheme", pk=copy.pk)


@login_required
@require_POST
def scheme_active(request, pk):
    """Retire a scheme (no new rounds) or bring it back; its rounds stay as they are."""
    _require_county(request)
    scheme = policy.get(selectors.scheme_list(user=request.user), request.user, pk)
    services.scheme_update(scheme=scheme, actor=request.user, is_active=bool(request.POST.get("active")))
    messages.success(request, _("方案已启用") if scheme.is_active else _("方案已停用"))
    return redirect("assessment-scheme", pk=pk)


@login_required
def round_new(request):
    """Open a round of a scheme for a period; the evaluation links are made on the round's page."""
    _require_county(request)
    schemes = selectors.scheme_list(user=request.user).filter(is_active=True)
    form = forms.RoundForm(request.POST or None, schemes=schemes, initial={"scheme": request.GET.get("scheme")})
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc, plain="period")  # a malformed period code, a duplicate round
        else:
            messages.success(request, _("已新建轮次：%(t)s") % {"t": rnd.title})
            return redirect("assessment-round", pk=rnd.pk)
    return render(request, "assessment/round_form.html", {"form": form})


@login_required
@require_POST
def round_source(request, pk):
    """Link the evaluation (多维评议) that feeds one multi-rater indicator of the round."""
    rnd = _round(request, pk)
    _require_county(request)
    form = forms.SourceForm(request.POST, indicators=rnd.scheme.indicators.filter(kind=IndicatorKind.EVALUATION),
                            evaluations=evaluation_list(user=request.user).filter(subject_kind="person"))
    if form.is_valid():
        try:
            services.round_link_evaluation(round=rnd, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已关联测评：%(e)s") % {"e": form.cleaned_data["evaluation"].name})
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("请选择指标和测评"))
    return redirect(reverse("assessment-round", args=[pk]) + "#sources")


@login_required
@require_POST
def grade_decide(request, pk):
    """Record a decided grade with its reason (a 优秀 beyond the group's places is refused); it counts from the next
    computation."""
    rnd = _round(request, pk)
    _require_county(request)
    form = forms.DecisionForm(request.POST, user=request.user, target=rnd.scheme.target)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form[k].label}：{'；'.join(v)}" for k, v in form.errors.items()))
    else:
        try:
            services.grade_decide(round=rnd, person=form.cleaned_data["person"], grade=form.cleaned_data["grade"],
                                  reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("已记录等次决定，重新计算后生效"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect(reverse("assessment-round", args=[pk]) + "#decisions")


@login_required
@require_POST
def grade_decision_remove(request, pk):
    _require_county(request)
    decision = get_object_or_404(GradeDecision.objects.select_related("round"), pk=pk)
    try:
        services.grade_decision_remove(decision=decision, actor=request.user)
        messages.success(request, _("已撤销等次决定，重新计算后生效"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("assessment-round", args=[decision.round_id]) + "#decisions")


# --- imports of the inputs (generic register pages) -----------------------------------------------

def _input_pages(key: str) -> RegisterPages:
    register = REGISTERS[key]
    return RegisterPages(register=register, url_name=f"assessment-{key}", list_columns=[], detail_fields=[],
                         selector=lambda *, user, action="view": policy.restrict(register.model.objects.all(),
                                                                                 user, action))


# Each input register's columns: (label, numeric?); `_input_row` gives the cells in this order.
INPUT_COLUMNS = {
    "unit-scores": [(gettext_noop("周期"), False), (gettext_noop("单位"), False),
                    (gettext_noop("综合考评得分"), True), (gettext_noop("备注"), False)],
    "task-tallies": [(gettext_noop("周期"), False), (gettext_noop("人员"), False), (gettext_noop("单位"), False),
                     (gettext_noop("交办任务数"), True), (gettext_noop("完成任务数"), True),
                     (gettext_noop("完成率"), True), (gettext_noop("备注"), False)],
    "manual-values": [(gettext_noop("周期"), False), (gettext_noop("数值项目"), False), (gettext_noop("人员"), False),
                      (gettext_noop("单位"), False), (gettext_noop("数值"), True), (gettext_noop("备注"), False)],
}


def _input_row(key: str, obj, metric_names: dict[str, str]) -> list:
    if key == "unit-scores":
        return [obj.period, obj.unit.name, obj.score, obj.note]
    if key == "task-tallies":
        rate = f"{obj.completed / obj.assigned:.0%}" if obj.assigned else "—"
        return [obj.period, obj.person.name, obj.person.unit.name, obj.assigned, obj.completed, rate, obj.note]
    return [obj.period, metric_names.get(obj.metric, obj.metric), obj.person.name, obj.person.unit.name,
            _plain_number(obj.value), obj.note]


def _plain_number(value) -> str:
    """12.500 → 12.5, 10.000 → 10 (imports store three decimals)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@login_required
def input_list(request, key):
    """Imported inputs of one kind, newest period first, with import and template links."""
    if key not in REGISTERS:
        raise Http404
    policy.require(request.user, "menu")  # staff and the persons assessed; not a judge or an enterprise
    pages = _input_pages(key)
    qs = pages.selector(user=request.user)
    if request.GET.get("period"):
        qs = qs.filter(period=request.GET["period"].strip().upper())
    model = pages.register.model
    related = ["unit"] if model is UnitScore else ["person", "person__unit"]
    page = Paginator(qs.select_related(*related).order_by("-period", "id"), 50).get_page(request.GET.get("page"))
    metric_names = {}
    if model is ManualValue:
        metric_names = dict(Indicator.objects.exclude(metric="").values_list("metric", "name").order_by("metric", "-id"))
    rows = [_input_row(key, obj, metric_names) for obj in page.object_list]
    return render(request, "assessment/inputs.html", {
        "pages": pages, "page": page, "key": key, "g": request.GET, "header": INPUT_COLUMNS[key], "rows": rows,
        "can_import": policy.allows(request.user, "import", pages.register.model),
    })


@body_limit("BOLE_IMPORT_MAX_BYTES")
@login_required
def input_import(request, key):
    if key not in REGISTERS:
        raise Http404
    return generic.import_view(request, _input_pages(key))


@login_required
def input_template(request, key):
    if key not in REGISTERS:
        raise Http404
    return generic.template_view(request, _input_pages(key))
