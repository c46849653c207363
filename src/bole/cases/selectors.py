"""Reads of the case engine, always scoped by the acting user; statistics computed from the records."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, Model, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core import periods
from bole.core.db import fetch
from bole.core.figures import FLOW, Figure
from bole.core.taskcounts import align
from bole.org.models import Person, Unit

from .calendar import local_today, unknown_years, work_calendar
from .choices import DONE_STATES, RUNNING_STATES, Colour, Rating, State, TaskState
from .desks import CATCHALL, HOME_GOVERNANCE, HOME_REQUEST
from .models import Case, CaseTask, Category, Decline, Desk, Meeting, case_number
from .notify import case_link
from .permissions import NOTHING, case_visibility, may_configure, policy


def desk_list(*, user) -> QuerySet[Desk]:
    """Desks the user may see (every logged-in role sees the active desks)."""
    return policy.restrict(Desk.objects.filter(is_active=True), user, "view")


def desk_choices(*, user, desk: int | None = None) -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """The list filter's options in one read: the desks the user may see, and the chosen desk's categories."""
    if not policy.allows(user, "view", Desk):
        return [], []
    rows = fetch(f"SELECT d.id, d.name, c.id, c.name FROM {Desk._meta.db_table} d "  # noqa: S608 - table names
                 f"LEFT JOIN {Category._meta.db_table} c ON c.desk_id = d.id AND d.id = %s "
                 "WHERE d.is_active ORDER BY d.sort, d.id, c.sort, c.id", [desk or 0])
    desks = list(dict.fromkeys((r[0], r[1]) for r in rows))
    return desks, [(str(r[2]), r[3]) for r in rows if r[2] is not None]


def case_list(*, user) -> QuerySet[Case]:
    """Cases visible to the user (desk staff, handling units, owner, submitter)."""
    return policy.restrict(Case.objects.all(), user, "view")


def case_get(*, user, pk) -> Case:
    """One case within the user's scope (404 otherwise)."""
    return policy.get(case_list(user=user).select_related(
        "desk", "category", "lead_unit", "owner", "review_unit", "submitter_enterprise", "merged_into"), user, pk)


def case_by_token(token: str) -> Case | None:
    """A case by its private follow token (the resident's link); nothing else is reachable without login."""
    if not token or len(token) < 20:
        return None
    return Case.objects.select_related("desk", "category", "lead_unit", "owner").filter(follow_token=token).first()


def list_conditions(params, *, today: dt.date) -> list[tuple[str, str, Any]]:
    """The staff list's filters (desk, state, category, unit, colour, month, free text or number) as
    (column, lookup, value) conditions: the API's querysets and the list page's statement read the same list."""
    conds: list[tuple[str, str, Any]] = []
    if (v := params.get("desk", "")).isdigit():
        conds.append(("desk_id", "exact", int(v)))
    if (v := params.get("state", "")) in State.values:
        conds.append(("state", "exact", v))
    elif v == "open":
        conds.append(("state", "in", tuple(RUNNING_STATES + [State.SUBMITTED])))
    if (v := params.get("category", "")).isdigit():
        conds.append(("category_id", "exact", int(v)))
    if (v := params.get("unit", "")).isdigit():
        conds.append(("lead_unit_id", "exact", int(v)))
    colour = params.get("colour", "")
    if colour in (Colour.RED, Colour.YELLOW, Colour.GREEN):
        conds.append(("state", "in", tuple(RUNNING_STATES)))
        if colour == Colour.RED:
            conds.append(("deadline", "lt", today))
        elif colour == Colour.YELLOW:
            conds += [("deadline", "gte", today), ("warn_on", "lte", today)]
        else:
            conds.append(("warn_on", "gt", today))
    if (v := params.get("month", "")) and len(v) == 7:
        try:
            start = dt.date(int(v[:4]), int(v[5:7]), 1)
        except ValueError:
            start = None
        if start:  # local midnights: the month as the county's calendar has it
            end = (start + dt.timedelta(days=32)).replace(day=1)
            tz = timezone.get_current_timezone()
            conds += [("submitted_at", "gte", dt.datetime.combine(start, dt.time(), tz)),
                      ("submitted_at", "lt", dt.datetime.combine(end, dt.time(), tz))]
    if q := params.get("q", "").strip():
        number = q.split("-")[-1]
        if number.isdigit():  # a case number (with or without the desk prefix) is a primary-key lookup
            conds.append(("id", "exact", int(number)))
        else:
            conds.append(("title", "contains", q))
    return conds


def case_filter_q(params: dict[str, str], *, today: dt.date | None = None) -> Q:
    """Staff list filters (list_conditions) as one condition (the API's FilterSchema uses it)."""
    q = Q()
    for column, op, value in list_conditions(params, today=today or local_today()):
        q &= Q(**{column if op == "exact" else f"{column}__{op}": value})
    return q


def filter_cases(qs: QuerySet[Case], params: dict[str, str], *, today: dt.date | None = None) -> QuerySet[Case]:
    """Staff list filters (list_conditions) on a queryset."""
    return qs.filter(case_filter_q(params, today=today))


_SQL_LOOKUPS = {"exact": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
LIST_ORDERS = {"-id": "c.id DESC", "deadline": "c.deadline, c.id", "-deadline": "c.deadline DESC, c.id DESC"}


def _literal(value, connection) -> str:
    """A filter value written into the statement: ids, dates and choice values only (anything else is bound)."""
    if isinstance(value, bool) or not isinstance(value, (int, dt.date, str)):
        raise TypeError(f"not a list filter value: {value!r}")
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dt.datetime):
        text = connection.ops.adapt_datetimefield_value(value)
        return f"'{text.isoformat() if isinstance(text, dt.datetime) else text}'"
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if not value.replace("_", "").isalpha() or not value.isascii():
        raise ValueError(f"not a choice value: {value!r}")
    return f"'{value}'"


def _conditions_sql(conds, connection) -> tuple[list[str], list]:
    """SQL for list_conditions. Ids, dates and choice values are written into the statement, so each filter
    has its own prepared statement planned for its own values (a plan made for unknown values may walk
    the wrong index for a date filter); free text is bound."""
    parts, params = [], []
    for column, op, value in conds:
        col = f"c.{column}"
        if op == "in":
            parts.append(f"{col} IN ({', '.join(_literal(str(v), connection) for v in value)})")
        elif op == "contains":
            parts.append(f"{col} LIKE %s ESCAPE '\\'")
            params.append("%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        else:
            parts.append(f"{col} {_SQL_LOOKUPS[op]} {_literal(value, connection)}")
    return parts, params


def case_page(*, user, params, start: int, limit: int, order: str = "-id",
              today: dt.date | None = None) -> list[dict]:
    """One page of the staff list, visible to `user`, filtered by `params`, as plain dicts (colour, link).

    One prepared statement (core.db.fetch): the page's ids come from a LIMIT subquery of the case table alone,
    so the database walks an index in list order and stops after one page; the names are joined for those
    ids only. Joining the names into the filtered query itself lets a misestimated filter (a red/yellow
    light depends on two correlated dates) turn into a join over every match followed by a sort. The ORM
    spends longer compiling the statement than the database spends running it, and this is the desks'
    busiest page; the API's list reads the same conditions through the ORM (filter_cases).
    """
    today = today or local_today()
    visible = case_visibility(user)
    if visible == NOTHING:
        return []
    conds = list_conditions(params, today=today)
    where, args = _conditions_sql(conds, connection)
    if not visible.everything:
        pinned = {column: value for column, op, value in conds if op == "exact" and column in ("desk_id", "lead_unit_id")}
        where.append(visible.sql("c", pinned=pinned))
    order_sql = LIST_ORDERS[order]
    # Table names, ints, dates and choice values (_literal) are written in; free text is bound.
    sql = (
        "SELECT c.id, c.desk_id, d.name, cat.name, c.title, u.name, p.name, c.state, c.deadline, c.received_on, "  # noqa: S608
        "c.on_time, c.escalation_level "
        f"FROM (SELECT c.id FROM {Case._meta.db_table} c{' WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY {order_sql} LIMIT {int(limit)} OFFSET {int(start)}) page "
        f"JOIN {Case._meta.db_table} c ON c.id = page.id "
        f"JOIN {Desk._meta.db_table} d ON d.id = c.desk_id "
        f"LEFT JOIN {Category._meta.db_table} cat ON cat.id = c.category_id "
        f"LEFT JOIN {Unit._meta.db_table} u ON u.id = c.lead_unit_id "
        f"LEFT JOIN {Person._meta.db_table} p ON p.id = c.owner_id "
        f"ORDER BY {order_sql}")
    rows = [dict(zip(_ROW_FIELDS, r, strict=True)) for r in fetch(sql, args)]
    if connection.vendor == "sqlite":  # a boolean comes back as 0/1
        for r in rows:
            r["on_time"] = None if r["on_time"] is None else bool(r["on_time"])
    return _decorate(rows, today=today)


_ROW_FIELDS = ("id", "desk_id", "desk__name", "category__name", "title", "lead_unit__name", "owner__name", "state",
               "deadline", "received_on", "on_time", "escalation_level")


def _decorate(rows: list[dict], *, today: dt.date) -> list[dict]:
    """Number, link, state label and traffic light of each list row."""
    if not rows:
        return rows
    labels = {k: str(label) for k, label in State.choices}  # translated once, not once per row
    colour = _lights([(r["id"], r["state"], r["deadline"], r["received_on"], r["on_time"]) for r in rows], today=today)
    for r in rows:
        r["number"] = case_number(r["desk_id"], r["id"])
        r["url"] = case_link(r["id"])
        r["state_label"] = labels.get(r["state"], r["state"])
        r["colour"] = colour[r["id"]]
    return rows


def rows_html(rows: list[dict], *, escalated_label: str) -> str:
    """The <tr> elements of a case list, built in one pass with plain escaping (every value is escaped once;
    the list is the busiest page of the desks, and the template engine's per-cell overhead dominates it)."""
    from html import escape

    from django.utils.safestring import mark_safe

    badge = f' <span class="badge red">{escape(str(escalated_label))}'
    out = []
    for r in rows:
        title = r["title"] if len(r["title"]) <= 40 else r["title"][:39] + "…"
        unit = (r["lead_unit__name"] or "—") + (f" · {r['owner__name']}" if r["owner__name"] else "")
        esc = f"{badge}{int(r['escalation_level'])}</span>" if r["escalation_level"] else ""
        url = escape(r["url"])
        out.append(
            f'<tr><td><span class="light {escape(r["colour"])}"></span></td><td><a href="{url}">{r["number"]}</a></td>'
            f'<td>{escape(r["desk__name"])}</td><td>{escape(r["category__name"] or "—")}</td>'
            f'<td><a href="{url}">{escape(title)}</a></td><td>{escape(unit)}</td>'
            f'<td><span class="state {escape(r["state"])}">{escape(str(r["state_label"]))}</span>{esc}</td>'
            f'<td>{r["deadline"].isoformat() if r["deadline"] else "—"}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - built above from escaped values only


def _lights(items: list[tuple], *, today: dt.date) -> dict[int, str]:
    """Red/yellow/green per (id, state, deadline, received_on, on_time): running cases by
    workcal.status_colour_array, finished ones by whether they were on time, others none."""
    out: dict[int, str] = {}
    running = [it for it in items if it[1] in RUNNING_STATES and it[2]]
    if running:
        colours = work_calendar().status_colour_array(
            np.full(len(running), np.datetime64(today, "D")),
            np.array([it[2] for it in running], dtype="datetime64[D]"),
            np.array([it[3] or it[2] for it in running], dtype="datetime64[D]"))
        out.update({it[0]: str(col) for it, col in zip(running, colours, strict=True)})
    for pk, state, _deadline, _received, on_time in items:
        if pk not in out:
            out[pk] = "" if on_time is None or state not in DONE_STATES else (Colour.GREEN if on_time else Colour.RED)
    return out


def colours_for(cases: list[Case], *, today: dt.date | None = None) -> dict[int, str]:
    """Red/yellow/green per case (see _lights)."""
    return _lights([(c.pk, c.state, c.deadline, c.received_on, c.on_time) for c in cases],
                   today=today or local_today())


def case_colour(case: Case, *, today: dt.date | None = None) -> str:
    """The traffic light of one case (workcal.status_colour)."""
    if case.state in RUNNING_STATES and case.deadline:
        return work_calendar().status_colour(today or local_today(), case.deadline,
                                             case.received_on or case.deadline)
    return colours_for([case], today=today)[case.pk]


def calendar_gaps(items: list[tuple], *, today: dt.date | None = None) -> dict[int, list[int]]:
    """Per (id, state, deadline, received_on), the years with no known arrangement its deadline or light counts
    on: a running case's span runs from receipt to the later of its deadline and today, a finished one's to its
    deadline. An empty list means the case's figures rest on known years only."""
    today = today or local_today()
    known = work_calendar().covered_years
    out: dict[int, list[int]] = {}
    for pk, state, deadline, received_on in items:
        if not deadline:
            out[pk] = []
            continue
        days = (received_on, deadline, today) if state in RUNNING_STATES else (received_on, deadline)
        out[pk] = unknown_years(*days, known=known)
    return out


def calendar_known_for(cases: list[Case], *, today: dt.date | None = None) -> dict[int, bool]:
    """Whether each case's deadline and light rest on known years only (the API's ``calendar_known``)."""
    gaps = calendar_gaps([(c.pk, c.state, c.deadline, c.received_on) for c in cases], today=today)
    return {pk: not years for pk, years in gaps.items()}


def decline_counts(*, user) -> list[dict[str, Any]]:
    """推诿 statistics: declines per unit, from the decline records of visible cases."""
    rows = (Decline.objects.filter(case__in=case_list(user=user)).values("unit_id", "unit__name")
            .annotate(n=Count("id")).order_by("-n"))
    return [{"unit_id": r["unit_id"], "unit": r["unit__name"], "declines": r["n"]} for r in rows]


# --- statistics ------------------------------------------------------------------------------------

DIMENSIONS = {"desk": "desk_id", "category": "category_id", "unit": "lead_unit_id", "state": "state",
              "month": "month"}


@dataclass
class StatRow:
    """One group of the statistics table."""

    key: Any
    label: str
    total: int = 0
    resolved: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    meetings: int = 0
    declines: int = 0
    hist: dict[int, int] = field(default_factory=dict)

    @property
    def resolution_rate(self) -> float | None:
        return round(self.resolved / self.total, 4) if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.resolved, 4) if self.resolved else None

    @property
    def satisfaction(self) -> float | None:
        return round((self.satisfied + self.basic) / self.rated, 4) if self.rated else None

    @property
    def median_workdays(self) -> float | None:
        """Median working days to resolve, from the per-case counts (histogram of the records)."""
        n = sum(self.hist.values())
        if not n:
            return None
        keys = sorted(self.hist)
        values = np.repeat(np.array(keys, dtype=float), [self.hist[k] for k in keys]) if n < 200000 else None
        if values is not None:
            return float(np.median(values))
        cum, lo_target, hi_target, lo = 0, (n - 1) // 2, n // 2, None
        for k in keys:
            cum += self.hist[k]
            if lo is None and cum > lo_target:
                lo = k
            if cum > hi_target:
                return (lo + k) / 2
        return None

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key if not isinstance(self.key, dt.date) else self.key.isoformat()[:7],
                "label": self.label, "total": self.total, "resolved": self.resolved,
                "resolution_rate": self.resolution_rate, "on_time": self.on_time, "on_time_rate": self.on_time_rate,
                "median_workdays": self.median_workdays, "meetings": self.meetings, "declines": self.declines,
                "rated": self.rated, "satisfied": self.satisfied, "basic": self.basic,
                "unsatisfied": self.unsatisfied, "satisfaction": self.satisfaction}


def _stat_base(*, user, desk: int | None = None, year: int | None = None, span=None) -> QuerySet[Case]:
    """The cases statistics count: in scope, not merged or rejected, submitted in ``year`` or in ``span`` (a
    `figures.Span`) when given."""
    qs = case_list(user=user).exclude(state__in=[State.MERGED, State.REJECTED])
    if desk:
        qs = qs.filter(desk_id=desk)
    if year:
        qs = qs.filter(submitted_at__gte=_year_start(year), submitted_at__lt=_year_start(year + 1))
    if span is not None:
        qs = qs.filter(**span.contains("submitted_at"))
    return qs


def _year_start(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 1, 1))


def _labels(by: str, keys: list) -> dict:
    if by == "desk":
        return dict(Desk.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return {pk: f"{d}·{n}" for pk, n, d in Category.objects.filter(pk__in=keys).values_list(
            "pk", "name", "desk__name")}
    if by == "unit":
        return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "state":
        return {k: str(State(k).label) for k in keys if k in State.values}
    return {k: f"{k:%Y-%m}" for k in keys if k}


def case_stats(*, user, by: str = "desk", desk: int | None = None, year: int | None = None) -> list[StatRow]:
    """Counts, resolution and on-time rates, median working days, meetings, declines, satisfaction per group.

    One grouped scan of the cases (grouped further by working days to resolve, for exact medians), plus
    grouped counts of the meeting and decline records.
    """
    if by not in DIMENSIONS:
        by = "desk"
    base = _stat_base(user=user, desk=desk, year=year)
    col = DIMENSIONS[by]
    qs = base
    if by == "month":
        qs = qs.annotate(month=TruncMonth("submitted_at"))
    grouped = qs.values(col, "resolve_workdays").order_by().annotate(
        total=Count("id"),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        on_time=Count("id", filter=Q(on_time=True)),
        rated=Count("id", filter=~Q(rating="")),
        satisfied=Count("id", filter=Q(rating=Rating.SATISFIED)),
        basic=Count("id", filter=Q(rating=Rating.BASIC)),
        unsatisfied=Count("id", filter=Q(rating=Rating.UNSATISFIED)),
    )
    rows: dict[Any, StatRow] = {}
    for g in grouped:
        key = g[col]
        if isinstance(key, dt.datetime):
            key = key.date()
        row = rows.get(key) or rows.setdefault(key, StatRow(key=key, label=""))
        for name in ("total", "resolved", "on_time", "rated", "satisfied", "basic", "unsatisfied"):
            setattr(row, name, getattr(row, name) + g[name])
        if g["resolve_workdays"] is not None and g["resolved"]:
            row.hist[g["resolve_workdays"]] = row.hist.get(g["resolve_workdays"], 0) + g["resolved"]
    case_col = f"case__{col}" if by != "month" else "month"
    related = ~Q(case__state__in=[State.MERGED, State.REJECTED])
    if desk:
        related &= Q(case__desk_id=desk)
    if year:
        related &= Q(case__submitted_at__gte=_year_start(year), case__submitted_at__lt=_year_start(year + 1))
    meetings = Meeting.objects.filter(related)
    declines = Decline.objects.filter(related)
    if not policy.may(user, "everything"):
        meetings = meetings.filter(case__in=base.values("id"))
        declines = declines.filter(case__in=base.values("id"))
    if by == "month":
        meetings = meetings.annotate(month=TruncMonth("case__submitted_at"))
        declines = declines.annotate(month=TruncMonth("case__submitted_at"))
    decline_col = "unit_id" if by == "unit" else case_col
    for r in meetings.values(case_col).order_by().annotate(n=Count("id")):
        key = r[case_col].date() if isinstance(r[case_col], dt.datetime) else r[case_col]
        rows.setdefault(key, StatRow(key=key, label="")).meetings += r["n"]
    for r in declines.values(decline_col).order_by().annotate(n=Count("id")):
        key = r[decline_col].date() if isinstance(r[decline_col], dt.datetime) else r[decline_col]
        rows.setdefault(key, StatRow(key=key, label="")).declines += r["n"]
    labels = _labels(by, [k for k in rows if k is not None])
    for key, row in rows.items():
        row.label = labels.get(key) or (_("（未指定）") if key is None else str(key))
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, str(r.key) if by in {"month", "state"} else 0,
                                                   -r.total))
    return ordered


def case_totals(rows: list[StatRow]) -> StatRow:
    """The all-groups line of a statistics table."""
    total = StatRow(key="", label=_("合计"))
    for r in rows:
        for name in ("total", "resolved", "on_time", "rated", "satisfied", "basic", "unsatisfied", "meetings"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        for k, v in r.hist.items():
            total.hist[k] = total.hist.get(k, 0) + v
        total.declines += r.declines
    return total


def headline_figures(*, user, desk_rows: list[StatRow] | None = None, year: int | None = None,
                     span=None) -> dict[str, int]:
    """The reported figures: 兜底办 problems, resolved, coordinations, residents' requests and governance issues,
    of the cases submitted in ``year`` (or ``span``, a `figures.Span`; everything on record without either).

    ``desk_rows`` (case_stats by desk for the same year) saves a second scan of the cases on the stats page.
    """
    by_desk = defaultdict(lambda: {"n": 0, "resolved": 0})
    if desk_rows is not None:
        codes = dict(Desk.objects.values_list("pk", "code"))
        for r in desk_rows:
            by_desk[codes.get(r.key)] = {"n": r.total, "resolved": r.resolved}
        catchall_meetings = next((r.meetings for r in desk_rows if codes.get(r.key) == CATCHALL), 0)
    else:
        visible = _stat_base(user=user, year=year, span=span)
        for r in visible.values("desk__code").order_by().annotate(
                n=Count("id"), resolved=Count("id", filter=Q(resolved_at__isnull=False))):
            by_desk[r["desk__code"]] = r
        catchall_meetings = Meeting.objects.filter(
            case__in=visible.filter(desk__code=CATCHALL).values("id")).count()
    figures = {
        "catchall_problems": by_desk[CATCHALL]["n"],
        "catchall_resolved": by_desk[CATCHALL]["resolved"],
        "catchall_coordinations": catchall_meetings,
        "requests": by_desk[HOME_REQUEST]["n"],
        "requests_resolved": by_desk[HOME_REQUEST]["resolved"],
        "governance_issues": by_desk[HOME_GOVERNANCE]["n"],
    }
    return figures


def desk_url(code: str) -> str:
    """The case list filtered to one desk (by its code), for a figure's link to its records."""
    pk = Desk.objects.filter(code=code).values_list("pk", flat=True).first()
    return reverse("cases-list") + (f"?desk={pk}" if pk else "")


def figures(*, user, period) -> list[Figure]:
    """The desks' reported figures in the user's scope, for cases submitted in the period (the `figures` hook)."""
    n = headline_figures(user=user, span=period)
    source = _("%(desk)s受理台的诉求（不含已合并、不予受理），按提交时间")
    catchall, requests, governance = desk_url(CATCHALL), desk_url(HOME_REQUEST), desk_url(HOME_GOVERNANCE)
    return [
        Figure("catchall_problems", _("兜底办问题"), n["catchall_problems"], _("个"), FLOW,
               source % {"desk": _("兜底办")}, catchall),
        Figure("catchall_resolved", _("兜底办已解决"), n["catchall_resolved"], _("个"), FLOW,
               _("其中已办结的"), catchall),
        Figure("catchall_coordinations", _("兜底办协调会"), n["catchall_coordinations"], _("次"), FLOW,
               _("兜底办问题召开的协调会"), catchall),
        Figure("requests", _("居民诉求"), n["requests"], _("件"), FLOW, source % {"desk": _("家园诉求")}, requests),
        Figure("requests_resolved", _("已解决居民诉求"), n["requests_resolved"], _("件"), FLOW, _("其中已办结的"),
               requests),
        Figure("governance_issues", _("共治议题"), n["governance_issues"], _("个"), FLOW,
               source % {"desk": _("共治议题")}, governance),
    ]


# --- cases about records of other apps ---------------------------------------------------------------


def cases_referring_to(target, ids=None, *, desk: str | None = None) -> QuerySet[Case]:
    """Cases filed about records of another app (a project's difficulties, a stairwell's requests, a committee's
    issues): the one way other apps read them. ``target`` is a record (its cases) or a model (cases about any of
    its records, or about those in ``ids``, a list or a subquery); ``desk`` narrows to one desk's code.

    Not scoped by user: the caller decides who may see the referred record through its own Policy first, or
    counts figures of records it already scoped.
    """
    if isinstance(target, Model):
        qs = Case.objects.filter(ref_type=ContentType.objects.get_for_model(target), ref_id=target.pk)
    else:
        qs = Case.objects.filter(ref_type=ContentType.objects.get_for_model(target))
        if ids is not None:
            qs = qs.filter(ref_id__in=ids)
    return qs.filter(desk__code=desk) if desk is not None else qs


def referring_counts(model, ids, *, desk: str | None = None) -> dict[int, dict[str, int]]:
    """Per referred record: the cases filed about it and those solved (resolved or closed), one grouped query."""
    rows = (cases_referring_to(model, ids, desk=desk).values("ref_id").order_by()
            .annotate(total=Count("id"), solved=Count("id", filter=Q(state__in=DONE_STATES))))
    return {r["ref_id"]: {"total": r["total"], "solved": r["solved"]} for r in rows}


def desk_categories(code: str) -> QuerySet[Category]:
    """The active categories of a desk, in their order (configuration, the same for everyone)."""
    return Category.objects.filter(desk__code=code, is_active=True).order_by("sort", "id")


# --- task-completion provider ----------------------------------------------------------------------


def case_tasks(person_ids: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """Task provider (个人任务完成率) of the case engine, with two grouped queries.

    Assigned: every co-unit sub-task (协办任务) a person is the named owner of, and every case a person is the
    owner (责任人) of, whose deadline falls in the period. A sub-task the co-unit declined does not count (the
    desk gives the work to someone else as a new sub-task). A reopened case counts with its current deadline.
    Completed: of those, sub-tasks done and cases resolved on or before their deadline, by Beijing date.
    Open ones count as assigned and not completed, like milestones in the other providers.
    """
    start, end = periods.dates(period)
    ids: list[int] = []
    completed: list[int] = []
    assigned: list[int] = []
    queries = (  # every owner's counts: align() keeps the assessed people (no id list in the SQL)
        CaseTask.objects.filter(deadline__gte=start, deadline__lte=end, owner__isnull=False)
        .exclude(state=TaskState.DECLINED).values("owner_id").order_by()
        .annotate(n=Count("id"), done=Count("id", filter=Q(state=TaskState.DONE, done_at__date__lte=F("deadline")))),
        Case.objects.filter(deadline__gte=start, deadline__lte=end, owner__isnull=False)
        .values("owner_id").order_by()
        .annotate(n=Count("id"), done=Count("id", filter=Q(resolved_on__isnull=False,
                                                             resolved_on__lte=F("deadline")))),
    )
    for qs in queries:
        for row in qs:
            ids.append(row["owner_id"])
            completed.append(row["done"])
            assigned.append(row["n"])
    return align(person_ids, ids, completed), align(person_ids, ids, assigned)


# --- the cockpit's home ----------------------------------------------------------------------------

CALENDAR_WARN_FROM = (12, 1)  # month, day: the State Council notice for next year is usually out by November


def calendar_tiles(user) -> list[dict]:
    """待办 for a county administrator: this year's holiday arrangement, or from 1 December next year's, when it
    is not known yet, with a note and the way to the calendar page."""
    if not may_configure(user):
        return []
    today = local_today()
    years = [today.year]
    if (today.month, today.day) >= CALENDAR_WARN_FROM:
        years.append(today.year + 1)
    known = work_calendar().covered_years
    return [{"label": _("%(year)s年节假日安排尚未录入") % {"year": y}, "count": 1,
             "url": f"{reverse('cases-calendar')}?year={y}",
             "note": _("%(year)s年节假日安排尚未录入：国务院办公厅通知发布后请导入，否则涉及该年的办理时限只能按周一至周五计算。")
             % {"year": y}}
            for y in years if y not in known]
