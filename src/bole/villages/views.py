"""Pages of 强村六式: the index ranking, a village's explanation, the 70万 target, import, teams, yearbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bole.core.excel import WorkbookRejected

from . import rules, selectors, services
from .models import TARGET_WAN, IndexScore, OperationTeam, VillageValue
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


@login_required
def teams_page(request):
    """乡村运营团队 and their monthly reports."""
    policy.require(request.user, "menu")
    teams = policy.restrict(OperationTeam.objects.select_related("village__parent"), request.user) \
        .annotate(reported_income=Sum("reports__income"))
    return render(request, "villages/teams.html", {"teams": teams})


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
    return render(request, "villages/village.html", {"village": village, "years": years, "grid": grid,
                                                     "index_years": index_years, "team": team, "light": light})
