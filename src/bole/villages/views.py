"""Pages of 强村六式: the index ranking, a village's explanation, the 70万 target, import, teams and their
year-end review, the 强村局长 pairings with their log and problems, the yearbook."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bole.cases.selectors import cases_referring_to, desk_categories
from bole.core.excel import WorkbookRejected

from . import events, review, rules, selectors, services
from .choices import LogKind
from .forms import (
    EventForm,
    HonoursForm,
    IndicatorForm,
    PatronForm,
    PatronLogForm,
    ProblemForm,
    ReportForm,
    ReviewForm,
    TeamForm,
)
from .models import TARGET_WAN, IndexScore, Indicator, MonthlyReport, OperationTeam, Patron, VillageValue
from .permissions import policy

FACTOR_LABELS = {
    "imputation": gettext_lazy("缺失值填补"), "outlier": gettext_lazy("异常值处理"),
    "normalisation": gettext_lazy("标准化方法"), "aggregation": gettext_lazy("加总方法"),
    "weighting": gettext_lazy("赋权方法"), "weights": gettext_lazy("权重扰动"),
}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def index_page(request):
    """强村指数: the ranking with 90% rank intervals, movement, lights and the sensitivity chart."""
    policy.require(request.user, "menu")
    year = _int(request.GET.get("year"))
    run = selectors.latest_run(user=request.user, year=year)
    years = sorted(set(selectors.runs(user=request.user).values_list("year", flat=True)), reverse=True)
    rows = selectors.ranking(run=run, user=request.user) if run else []
    town = _int(request.GET.get("town"))
    towns = selectors.town_regions(user=request.user)
    if town:
        rows = [r for r in rows if r["town"] and r["town"].pk == town]
    chart = None
    if run:
        sens = run.sensitivity or {}
        chart = {
            "factors": [str(FACTOR_LABELS.get(f, f)) for f in sens.get("factors", [])],
            "first": sens.get("first", []), "total": sens.get("total", []),
            "loo": [[code, shift] for code, shift in sorted(run.leave_one_out.items(), key=lambda kv: -kv[1])],
            "labels": {"first": _("一阶效应"), "total": _("总效应"), "loo": _("剔除该指标后名次平均变动")},
            "names": dict(selectors.indicators().values_list("code", "name")),
        }
    return render(request, "villages/index.html", {
        "run": run, "rows": rows, "years": years, "chart": chart, "towns": towns, "town": town,
        "can_manage": policy.may(request.user, "manage"), "can_import": policy.may(request.user, "import"),
        "counties": selectors.counties(user=request.user) if policy.may(request.user, "manage") else [],
        "data_years": sorted(set(VillageValue.objects.values_list("year", flat=True)), reverse=True),
        "level": int(round(100 * float((run.parameters or {}).get("level", 0.9)))) if run else 90,
    })


@login_required
@require_POST
def run_create(request):
    """计算强村指数 for a county and year (the county's department)."""
    policy.require(request.user, "manage")
    county = selectors.counties(user=request.user).filter(pk=_int(request.POST.get("county"))).first()
    year = _int(request.POST.get("year"))
    if county is None or year is None:
        messages.error(request, _("请选择县（区）和年度"))
        return redirect("villages-index")
    try:
        run = services.index_run(county=county, year=year, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("villages-index")
    messages.success(request, _("已计算 %(y)s 年强村指数（%(n)s 个村，用时 %(s)s 秒）") % {
        "y": year, "n": run.villages, "s": run.seconds})
    return redirect(f"{reverse('villages-index')}?year={year}")


@login_required
def import_page(request):
    """导入村级数据: the towns' sheets, one sheet per town or one row per village; nothing written on error."""
    policy.require(request.user, "import")
    ctx = {"indicators": selectors.indicators(), "issues": [], "outcome": None,
           "year": _int(request.POST.get("year") or request.GET.get("year"))}
    if request.method == "POST":
        upload = request.FILES.get("file")
        year = ctx["year"]
        if upload is None or year is None:
            messages.error(request, _("请选择年度和文件"))
        else:
            try:
                outcome = services.values_import(data=upload.read(), year=year, actor=request.user)
            except WorkbookRejected as exc:
                ctx["issues"] = [str(exc)]
            except ValidationError as exc:
                ctx["issues"] = exc.messages
            else:
                if outcome.issues:
                    ctx["issues"] = [i.as_text() for i in outcome.issues]
                else:
                    ctx["outcome"] = outcome
    return render(request, "villages/import.html", ctx)


@login_required
def target_page(request):
    """70万目标: villages under it with the gap, this year's trajectory and projection, by town."""
    policy.require(request.user, "menu")
    town = _int(request.GET.get("town"))
    towns = list(selectors.town_regions(user=request.user))
    chosen = next((t for t in towns if t.pk == town), None)
    rows = selectors.target_rows(user=request.user, town=chosen)
    show = request.GET.get("show", "under")
    if show == "under":
        rows = [r for r in rows if r["light"] in ("red", "yellow") or (r["last"] is not None and r["last"] < TARGET_WAN)]
    rows.sort(key=lambda r: (r["projected"] if r["projected"] is not None else (r["last"] or 0)))
    return render(request, "villages/target.html", {
        "rows": rows, "towns": towns, "town": town, "show": show, "target": TARGET_WAN,
        "year": selectors.current_year(), "rules": [(lvl, str(txt)) for lvl, _c, txt in rules.RULES],
    })


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has one, else above the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def teams_page(request):
    """乡村运营团队 and their monthly reports; the county opens a year's review."""
    policy.require(request.user, "menu")
    teams = policy.restrict(OperationTeam.objects.select_related("village__parent"), request.user) \
        .annotate(reported_income=Sum("reports__income"))
    can_manage = policy.may(request.user, "manage")
    return render(request, "villages/teams.html", {
        "teams": teams, "can_manage": can_manage, "reviews": selectors.team_reviews(user=request.user),
        "review_form": ReviewForm(initial={"year": selectors.current_year()}) if can_manage else None,
        "counties": selectors.counties(user=request.user) if can_manage else [],
    })


@login_required
@require_POST
def team_review_create(request):
    """年终评价: open the year's review panel of the county's teams (judges are seated on its page)."""
    policy.require(request.user, "manage")
    form = ReviewForm(request.POST)
    county = selectors.counties(user=request.user).filter(pk=_int(request.POST.get("county"))).first()
    if not form.is_valid() or county is None:
        messages.error(request, _("请选择县（区）和年度"))
        return redirect("villages-teams")
    try:
        rv = review.team_review_create(county=county, year=form.cleaned_data["year"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("villages-teams")
    messages.success(request, _("已创建年终评价评审会，请在评审会页面安排评委"))
    return redirect("evaluation-detail", pk=rv.evaluation_id)


@login_required
def team_detail(request, pk: int):
    """A team: its contract, monthly reports (with a form to add one) and its year-end review results."""
    team = selectors.team_get(user=request.user, pk=pk)
    reports = selectors.team_reports(team=team, user=request.user)
    can_report = policy.allows(request.user, "add", MonthlyReport)
    today = selectors.local_today()
    return render(request, "villages/team.html", {
        "team": team, "reports": reports, "total": sum(r.income for r in reports),
        "results": review.team_results(team=team, user=request.user),
        "can_manage": policy.may(request.user, "manage"), "can_report": can_report,
        "form": ReportForm(initial={"year": today.year, "month": today.month}) if can_report else None,
    })


@login_required
@require_POST
def team_report(request, pk: int):
    """Add a team's monthly report."""
    team = selectors.team_get(user=request.user, pk=pk)
    if not policy.allows(request.user, "add", MonthlyReport):
        raise PermissionDenied
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_add(team=team, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("月报已保存"))
            return redirect("villages-team", pk=team.pk)
    reports = selectors.team_reports(team=team, user=request.user)
    return render(request, "villages/team.html", {
        "team": team, "reports": reports, "total": sum(r.income for r in reports),
        "results": review.team_results(team=team, user=request.user),
        "can_manage": policy.may(request.user, "manage"), "can_report": True, "form": form}, status=400)


@login_required
def team_create(request, pk: int):
    """Contract an operation team for this village (the county)."""
    policy.require(request.user, "manage")
    village = _village(request, pk)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(village=village, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("运营团队已登记"))
            return redirect("villages-team", pk=team.pk)
    return render(request, "villages/team_form.html", {"form": form, "village": village, "team": None},
                  status=400 if form.errors else 200)


@login_required
def team_edit(request, pk: int):
    """Change a team's contract, or end it."""
    policy.require(request.user, "manage")
    team = selectors.team_get(user=request.user, pk=pk)
    fields = ("company", "members", "start", "end", "fee", "income_target", "is_pilot")
    form = TeamForm(request.POST or None, initial={f: getattr(team, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if request.POST.get("end_contract"):
            data["is_active"] = False
        try:
            services.team_update(team=team, actor=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("运营团队已更新"))
            return redirect("villages-team", pk=team.pk)
    return render(request, "villages/team_form.html", {"form": form, "village": team.village, "team": team},
                  status=400 if form.errors else 200)


def _village(request, pk: int):
    village = selectors.village_regions(user=request.user).select_related("parent").filter(pk=pk).first()
    if village is None:
        raise Http404
    return village


# --- 强村局长 ------------------------------------------------------------------------------------------


@login_required
def patron_list(request):
    """强村局长: the live pairings in scope (a head: their own), with their visits and problems."""
    if not policy.allows(request.user, "view", Patron):
        raise PermissionDenied
    rows = selectors.patrons(user=request.user).annotate(
        visits=Count("logs", filter=~Q(logs__kind=LogKind.PROBLEM)),
        problems=Count("logs", filter=Q(logs__kind=LogKind.PROBLEM)))
    return render(request, "villages/patrons.html", {"rows": rows})


@login_required
def patron_add(request, pk: int):
    """Pair a head with this village (the county)."""
    policy.require(request.user, "manage")
    village = _village(request, pk)
    year = selectors.current_year()
    form = PatronForm(request.POST or None, user=request.user,
                      initial={"start": dt.date(year, 1, 1), "end": dt.date(year + 2, 12, 31)})
    if request.method == "POST" and form.is_valid():
        try:
            patron = services.patron_pair(village=village, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已结对"))
            return redirect("villages-patron", pk=patron.pk)
    return render(request, "villages/patron_form.html", {"form": form, "village": village},
                  status=400 if form.errors else 200)


def _patron_page(request, patron: Patron, *, log_form=None, problem_form=None, status=200):
    may_log = patron.is_active and policy.may(request.user, "change", patron)
    categories = desk_categories(services.PROBLEM_DESK)
    return render(request, "villages/patron.html", {
        "patron": patron, "logs": selectors.patron_logs(patron=patron, user=request.user),
        "cases": cases_referring_to(patron).select_related("category").order_by("-submitted_at"),
        "may_log": may_log, "can_manage": policy.may(request.user, "manage"),
        "log_form": log_form or (PatronLogForm(initial={"on": selectors.local_today()}) if may_log else None),
        "problem_form": problem_form or (ProblemForm(categories=categories) if may_log else None),
    }, status=status)


@login_required
def patron_detail(request, pk: int):
    """A pairing: the head, the term, the log of visits and actions, the problems raised and their cases."""
    return _patron_page(request, selectors.patron_get(user=request.user, pk=pk))


@login_required
@require_POST
def patron_log(request, pk: int):
    patron = selectors.patron_get(user=request.user, pk=pk, action="change")
    form = PatronLogForm(request.POST)
    if form.is_valid():
        try:
            services.patron_log(patron=patron, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录"))
            return redirect("villages-patron", pk=patron.pk)
    return _patron_page(request, patron, log_form=form, status=400)


@login_required
@require_POST
def patron_problem(request, pk: int):
    """Raise a problem: a case on the 强村难题 desk."""
    patron = selectors.patron_get(user=request.user, pk=pk, action="change")
    form = ProblemForm(request.POST, categories=desk_categories(services.PROBLEM_DESK))
    if form.is_valid():
        try:
            services.patron_problem_raise(patron=patron, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("问题已提交强村难题受理台"))
            return redirect("villages-patron", pk=patron.pk)
    return _patron_page(request, patron, problem_form=form, status=400)


@login_required
@require_POST
def patron_end(request, pk: int):
    policy.require(request.user, "manage")
    patron = selectors.patron_get(user=request.user, pk=pk)
    try:
        services.patron_end(patron=patron, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("结对已结束"))
    return redirect("villages-patron", pk=patron.pk)


@login_required
def score_detail(request, pk: int):
    """A village's index explained: contributions against its town and county, by year."""
    policy.require(request.user, "menu")
    score = policy.get(IndexScore.objects.select_related("run__county", "village__parent"), request.user, pk)
    ex = selectors.explanation(score=score, user=request.user)
    light = selectors.village_lights(user=request.user).get(score.village_id, {})
    trend = {"years": [y["year"] for y in ex["years"]], "scores": [y["score"] for y in ex["years"]],
             "ranks": [y["rank"] for y in ex["years"]], "income": [[y, v] for y, v in ex["income"]],
             "labels": {"score": _("强村指数"), "rank": _("名次"), "income": _("经营性收入（万元）")}}
    return render(request, "villages/score.html", {"score": score, "run": score.run, "ex": ex, "light": light,
                                                   "trend": trend})


@login_required
def village_detail(request, pk: int):
    """强村志: a village's yearbook page — its figures by year, index, team (printable)."""
    policy.require(request.user, "menu")
    village = selectors.village_regions(user=request.user).select_related("parent").filter(pk=pk).first()
    if village is None:
        raise Http404
    values = policy.restrict(VillageValue.objects.filter(village=village).select_related("indicator"), request.user)
    years = sorted({v.year for v in values})
    table: dict = {}
    for v in values:
        table.setdefault(v.indicator, {})[v.year] = v.value
    grid = [(ind, [table[ind].get(y) for y in years]) for ind in sorted(table, key=lambda i: (i.sort, i.pk))]
    scores = policy.restrict(IndexScore.objects.filter(village=village).select_related("run"), request.user) \
        .order_by("run__year", "-run__created_at")
    seen, index_years = set(), []
    for s in scores:
        if s.run.year not in seen:
            seen.add(s.run.year)
            index_years.append(s)
    team = policy.restrict(OperationTeam.objects.filter(village=village, is_active=True), request.user).first()
    light = selectors.village_lights(user=request.user).get(village.pk, {})
    heads = policy.restrict(Patron.objects.filter(village=village).select_related("person__unit"), request.user) \
        .order_by("-is_active", "-start")
    honours = events.honours(user=request.user).filter(village=village)
    took_part = events.events(user=request.user).filter(villages=village).order_by("on")
    return render(request, "villages/village.html", {"village": village, "years": years, "grid": grid,
                                                     "index_years": index_years, "team": team, "light": light,
                                                     "patrons": heads, "honours": honours,
                                                     "events": took_part, "can_manage": policy.may(request.user,
                                                                                                "manage")})


# --- 强村论坛 / 强村大会, honours --------------------------------------------------------------------------


@login_required
def events_page(request):
    """强村论坛与大会 and the years' honours; the county computes a year's honours from the stored index."""
    policy.require(request.user, "menu")
    can_manage = policy.may(request.user, "manage")
    counties = selectors.counties(user=request.user) if can_manage else None
    by_year: dict = {}
    for h in events.honours(user=request.user):
        by_year.setdefault(h.year, {"top": [], "rise": []})[h.kind].append(h)
    return render(request, "villages/events.html", {
        "events": events.events(user=request.user), "honours": sorted(by_year.items(), reverse=True),
        "can_manage": can_manage,
        "form": HonoursForm(counties=counties, initial={"year": selectors.current_year() - 1,
                                                        "county": counties.first() if counties else None})
        if can_manage else None,
    })


@login_required
@require_POST
def honours_compute(request):
    policy.require(request.user, "manage")
    form = HonoursForm(request.POST, counties=selectors.counties(user=request.user))
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{' '.join(v)}" if k in form.fields else " ".join(v)
                                         for k, v in form.errors.items()))
        return redirect("villages-events")
    try:
        rows = events.honours_compute(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已评出 %(y)s 年强村荣誉 %(n)s 项") % {"y": form.cleaned_data["year"],
                                                                     "n": len(rows)})
    return redirect("villages-events")


@login_required
def event_create(request):
    """A new 强村论坛 or 强村大会 (the county)."""
    policy.require(request.user, "manage")
    counties = selectors.counties(user=request.user)
    form = EventForm(request.POST or None, user=request.user, counties=counties,
                     initial={"county": counties.first(), "on": selectors.local_today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        found, bad = events.villages_by_names(user=request.user, county=data["county"], text=data.pop("villages"))
        if bad:
            form.add_error("villages", _("找不到或不唯一的村：%(v)s（重名的村请写镇街名加村名）") % {"v": "、".join(bad)})
        else:
            try:
                event = events.event_create(actor=request.user, villages=found,
                                            agenda=data.pop("agenda").splitlines(), **data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记"))
                return redirect("villages-event", pk=event.pk)
    return render(request, "villages/event_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def event_detail(request, pk: int):
    """An event: agenda, participating villages and people; a 强村大会 shows the year's honours."""
    event = events.event_get(user=request.user, pk=pk)
    policy.require(request.user, "menu")
    shown = events.honours(user=request.user).filter(county=event.county, year=event.on.year - 1) \
        if event.kind == "assembly" else []
    return render(request, "villages/event.html", {
        "event": event, "villages": event.villages.select_related("parent").order_by("code"),
        "people": event.people.select_related("unit").order_by("name"), "honours": shown,
        "honours_year": event.on.year - 1})


# --- indicators (configuration) -------------------------------------------------------------------------


@login_required
def indicators_page(request):
    """强村指数的指标: every indicator's configuration; the county's department adds and edits them."""
    policy.require(request.user, "menu")
    rows = policy.restrict(Indicator.objects.select_related("denominator"), request.user).order_by("sort", "id")
    return render(request, "villages/indicators.html", {"rows": rows, "can_manage": policy.may(request.user,
                                                                                                "manage")})


@login_required
def indicator_edit(request, pk: int | None = None):
    """Add an indicator, or change one's configuration (its code stays)."""
    policy.require(request.user, "manage")
    current = policy.get(Indicator.objects.all(), request.user, pk) if pk else None
    # The form validates a copy: the service compares the stored row with the new values for its audit row.
    form = IndicatorForm(request.POST or None,
                         instance=Indicator.objects.get(pk=current.pk) if current else None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (current and k == "code")}
        try:
            if current:
                services.indicator_update(indicator=current, actor=request.user, **data)
            else:
                services.indicator_create(actor=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("指标已保存"))
            return redirect("villages-indicators")
    return render(request, "villages/indicator_form.html", {"form": form, "indicator": current},
                  status=400 if form.errors else 200)
