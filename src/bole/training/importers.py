"""成果检验 scores from Excel: one sheet with 身份证号, 姓名, 成绩; every bad row is named (sheet, row, column, value,
reason) and nothing is written while any row is bad."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from bole.core import excel
from bole.org.models import id_number_digest
from bole.org.selectors import person_list, unit_list
from bole.org.validators import clean_id_number

from .choices import Audience, Theme
from .models import Plan, TrainingClass

COLUMNS = {"身份证号": "id_number", "姓名": "name", "成绩": "score"}


def read_scores(upload, *, training_class: TrainingClass) -> dict[int, Decimal]:
    """{person id: score} for the class's members, or ValidationError listing every bad cell."""
    try:
        sheets = excel.read_sheets(upload.read())
    except excel.WorkbookRejected as exc:
        raise ValidationError(str(exc)) from None
    found = [(name, rows, *excel.find_header(rows, COLUMNS)) for name, rows in sheets]
    found = [f for f in found if set(f[3].values()) == set(COLUMNS.values())]
    if len(found) != 1:
        raise ValidationError(_("需要一个含“身份证号”“姓名”“成绩”三列的工作表") if not found
                              else _("多个工作表都有成绩列，请只保留一个"))
    sheet, rows, head, mapping = found[0]
    col = {key: idx for idx, key in mapping.items()}
    members = {d: (pid, name) for d, pid, name in training_class.members.values_list(
        "person__id_digest", "person_id", "person__name")}
    issues: list[excel.CellIssue] = []
    out: dict[int, Decimal] = {}
    for r, row in enumerate(rows[head + 1:], start=head + 2):
        cells = {k: excel.text(row[i]) if i < len(row) else "" for k, i in col.items()}
        if not any(cells.values()):
            continue

        def bad(key, reason, cells=cells, r=r):
            header = next(h for h, k in COLUMNS.items() if k == key)
            issues.append(excel.CellIssue(sheet, r, excel.col_name(col[key], header), cells[key], reason))

        member = members.get(id_number_digest(cells["id_number"])) if cells["id_number"] else None
        if member is None:
            bad("id_number", _("不是本班学员"))
            continue
        if cells["name"] and cells["name"] != member[1]:
            bad("name", _("与身份证号对应的学员姓名（%(n)s）不符") % {"n": member[1]})
        try:
            score = Decimal(cells["score"])
        except InvalidOperation:
            bad("score", _("成绩须为数字"))
            continue
        if not (0 <= score <= 100):
            bad("score", _("成绩须在 0 到 100 之间"))
        elif member[0] in out:
            bad("id_number", _("同一学员出现两次"))
        else:
            out[member[0]] = score
    if issues:
        raise ValidationError([i.as_text() for i in issues[:50]])
    return out


# --- the year's plan: one sheet of sessions, each row naming its topic --------------------------------------

# What a department sends: one row per session, the topic's columns repeated on each of its sessions.
PLAN_COLUMNS = [
    # (header, key, required, note)
    ("专题", "topic", True, "同一专题的多场课程各占一行，专题名称相同"),
    ("主题", "theme", True, "城市建设、文旅创意、产业投资、国土规划、党性教育、综合素能"),
    ("培训对象", "target_groups", False, "如：全体干部、科级领导干部"),
    ("承办单位", "host_unit", True, "承办部门的全称，须在册"),
    ("授课人", "lecturer", False, "多人用顿号分隔"),
    ("授课人单位", "institution", False, "外请专家所在单位或机构"),
    ("课程名称", "title", True, ""),
    ("日期", "day", True, "如 2026-03-05"),
    ("开始时间", "starts", True, "如 14:30"),
    ("结束时间", "ends", True, "如 17:00"),
    ("地点", "place", True, ""),
    ("名额", "capacity", True, "整数"),
    ("学时", "hours", True, "如 3 或 1.5"),
    ("必修", "compulsory", False, "是/否，空为否"),
    ("选修对象", "audience", False, "全体干部、科级领导干部、选调生、县处级干部；空为全体干部"),
    ("选课开始", "enrol_opens", False, "日期，空为开课前14天"),
    ("选课截止", "enrol_closes", False, "日期（当天24时前，且不晚于开课），空为开课时"),
]
PLAN_KEYS = {h: k for h, k, _r, _n in PLAN_COLUMNS}
PLAN_REQUIRED = {k for _h, k, r, _n in PLAN_COLUMNS if r}
PLAN_SHEET = "课程安排"


def _choice_by_label(choices) -> dict[str, str]:
    """{Chinese label: value} of a TextChoices (the sheet carries the labels users read)."""
    with override("zh-hans"):
        return {str(label): value for value, label in choices}


def plan_template() -> bytes:
    """The plan's import template: the columns with notes, dropdowns for 主题, 必修 and 选修对象, one example row."""
    heads = [h for h, _k, _r, _n in PLAN_COLUMNS]
    theme = heads.index("主题")
    audience = heads.index("选修对象")
    return excel.write_template(
        sheet_title=PLAN_SHEET,
        headers=[(h, r, n) for h, _k, r, n in PLAN_COLUMNS],
        choices={theme: list(_choice_by_label(Theme.choices)), heads.index("必修"): ["是", "否"],
                 audience: list(_choice_by_label(Audience.choices))},
        example=["城市更新与片区开发", "城市建设", "全体干部", "区住房和城乡建设局", "张三", "浙江大学", "城市更新的路径",
                 "2026-03-05", "14:30", "17:00", "区行政中心报告厅", 200, 3, "否", "全体干部", "", ""],
    )


def _time(value) -> dt.time:
    """A time from a time cell, a day fraction (0.604… = 14:30) or text like 14:30, 14：30, 14点30."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dt.timedelta):
        value = value.total_seconds() / 86400
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 1440)
        return dt.time(minutes // 60, minutes % 60)
    m = re.fullmatch(r"(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?", excel.text(value))
    if m and int(m[1]) < 24 and int(m[2] or 0) < 60:
        return dt.time(int(m[1]), int(m[2] or 0))
    raise ValueError(_("无法识别的时间，请写成 14:30"))


def _one_sheet(upload, columns: dict[str, str], required: set[str], *, none: str, several: str):
    """(sheet name, rows, header row index, {key: column index}) of the one sheet with every required column."""
    try:
        sheets = excel.read_sheets(upload.read())
    except excel.WorkbookRejected as exc:
        raise ValidationError(str(exc)) from None
    found = [(name, rows, *excel.find_header(rows, columns)) for name, rows in sheets]
    found = [f for f in found if required <= set(f[3].values())]
    if len(found) != 1:
        raise ValidationError(none if not found else several % {"names": "、".join(f[0] for f in found)})
    sheet, rows, head, mapping = found[0]
    return sheet, rows, head, {key: idx for idx, key in mapping.items()}


class _Issues:
    """Problems found in one sheet, each with its row, column, value and reason."""

    def __init__(self, sheet: str, col: dict[str, int], headers: dict[str, str]):
        self.sheet, self.col, self.headers, self.items = sheet, col, headers, []

    def add(self, r: int, key: str, value, reason: str) -> None:
        column = excel.col_name(self.col[key], self.headers[key]) if key in self.col else self.headers[key]
        self.items.append(excel.CellIssue(self.sheet, r, column, excel.text(value), reason))

    def raise_any(self) -> None:
        if self.items:
            more = len(self.items) - 50
            lines = [i.as_text() for i in sorted(self.items, key=lambda i: i.row)[:50]]
            if more > 0:
                lines.append(_("……另有 %(n)s 处问题") % {"n": more})
            raise ValidationError(lines)


def read_plan(upload, *, plan: Plan, user) -> list[dict]:
    """The topics of a plan sheet, each with its lecturers and sessions, ready for `services.plan_import`; or a
    ValidationError naming every bad cell (sheet, row, column, value, reason). A session already in the plan (same
    title and start) or twice in the sheet is refused, so the same file imported twice adds nothing."""
    sheet, rows, head, col = _one_sheet(
        upload, PLAN_KEYS, PLAN_REQUIRED,
        none=_("需要一个含“专题”“主题”“承办单位”“课程名称”“日期”“开始时间”“结束时间”“地点”“名额”“学时”列的工作表"),
        several=_("多个工作表都像课程安排（%(names)s），请只保留一个"))
    issues = _Issues(sheet, col, {k: h for h, k in PLAN_KEYS.items()})
    themes = _choice_by_label(Theme.choices) | {v: v for v in Theme.values}
    audiences = _choice_by_label(Audience.choices) | {v: v for v in Audience.values}
    units = unit_list(user=user).filter(is_active=True)
    unit_cache: dict[str, object] = {}
    existing = set(plan.sessions.values_list("title", "starts_at"))
    seen: dict[tuple, int] = {}
    topics: dict[str, dict] = {}
    tz = timezone.get_current_timezone()
    for r, row in enumerate(rows[head + 1:], start=head + 2):
        raw = {k: row[i] if i < len(row) else None for k, i in col.items()}
        cells = {k: excel.text(v) for k, v in raw.items()}
        if not any(cells.values()):
            continue
        bad_before = len(issues.items)
        for key in PLAN_REQUIRED:
            if not cells.get(key):
                issues.add(r, key, "", _("必填"))
        if len(issues.items) > bad_before:
            continue
        theme = themes.get(cells["theme"])
        if theme is None:
            issues.add(r, "theme", raw["theme"], _("应为：%(list)s") % {"list": "、".join(_choice_by_label(Theme.choices))})
        name = cells["host_unit"]
        if name not in unit_cache:
            found = list(units.filter(name=name)[:2])
            unit_cache[name] = found[0] if len(found) == 1 else len(found)
        host = unit_cache[name]
        if isinstance(host, int):
            issues.add(r, "host_unit", raw["host_unit"], _("有多个同名单位，请联系管理员") if host else
                       _("不是您管辖范围内在册的单位"))
            host = None
        when = {}
        for key, parse in (("day", excel.parse_date), ("starts", _time), ("ends", _time)):
            try:
                when[key] = parse(raw[key])
            except ValueError as exc:
                issues.add(r, key, raw[key], str(exc))
        if len(when) < 3:
            continue
        starts = timezone.make_aware(dt.datetime.combine(when["day"], when["starts"]), tz)
        ends = timezone.make_aware(dt.datetime.combine(when["day"], when["ends"]), tz)
        if ends <= starts:
            issues.add(r, "ends", raw["ends"], _("结束时间须晚于开始时间"))
        try:
            capacity = excel.parse_int(raw["capacity"])
            if capacity < 1:
                raise ValueError(_("名额至少为 1"))
        except ValueError as exc:
            issues.add(r, "capacity", raw["capacity"], str(exc))
            capacity = None
        try:
            hours = Decimal(str(excel.parse_number(raw["hours"]))).quantize(Decimal("0.1"))
            if not (0 < hours <= 100):
                raise ValueError(_("学时须大于 0 且不超过 100"))
        except (ValueError, InvalidOperation) as exc:
            issues.add(r, "hours", raw["hours"], str(exc) if isinstance(exc, ValueError) else _("应为数字"))
            hours = None
        try:
            compulsory = excel.parse_bool(raw.get("compulsory"))
        except ValueError as exc:
            issues.add(r, "compulsory", raw["compulsory"], str(exc))
            compulsory = False
        audience = audiences.get(cells.get("audience") or Audience.CADRES.label)
        if audience is None:
            issues.add(r, "audience", raw["audience"],
                       _("应为：%(list)s") % {"list": "、".join(_choice_by_label(Audience.choices))})
        window = {}
        for key in ("enrol_opens", "enrol_closes"):
            if cells.get(key):
                try:
                    d = excel.parse_date(raw[key])
                except ValueError as exc:
                    issues.add(r, key, raw[key], str(exc))
                    continue
                at = dt.datetime.combine(d, dt.time()) if key == "enrol_opens" else \
                    dt.datetime.combine(d + dt.timedelta(days=1), dt.time())
                window[key] = min(timezone.make_aware(at, tz), starts) if key == "enrol_closes" else \
                    timezone.make_aware(at, tz)
        if window.get("enrol_opens") and window["enrol_opens"] >= window.get("enrol_closes", starts):
            issues.add(r, "enrol_opens", raw["enrol_opens"], _("选课开始须早于选课截止和开课时间"))
        title = cells["title"][:120]
        if (title, starts) in existing:
            issues.add(r, "title", raw["title"], _("计划中已有同名同时间的课程"))
        elif (title, starts) in seen:
            issues.add(r, "title", raw["title"], _("与第%(n)s行重复") % {"n": seen[(title, starts)]})
        seen.setdefault((title, starts), r)
        topic_title = cells["topic"][:120]
        t = topics.get(topic_title)
        if t is None:
            t = topics[topic_title] = {"title": topic_title, "theme": theme, "host_unit": host, "row": r,
                                       "target_groups": cells.get("target_groups", "")[:200],
                                       "lecturers": [], "sessions": []}
        elif host is not None and t["host_unit"] is not None and t["host_unit"] != host:
            issues.add(r, "host_unit", raw["host_unit"],
                       _("同一专题的承办单位须一致（第%(n)s行为“%(u)s”）") % {"n": t["row"], "u": t["host_unit"].name})
        elif theme is not None and t["theme"] is not None and t["theme"] != theme:
            issues.add(r, "theme", raw["theme"], _("同一专题的主题须一致（见第%(n)s行）") % {"n": t["row"]})
        names = [n for n in re.split(r"[、，,；;]+", cells.get("lecturer", "")) if n.strip()]
        for n in names:
            lec = (n.strip()[:50], cells.get("institution", "")[:120])
            if lec not in t["lecturers"]:
                t["lecturers"].append(lec)
        if len(issues.items) == bad_before:
            t["sessions"].append({"title": title, "place": cells["place"][:120], "starts_at": starts,
                                  "ends_at": ends, "capacity": capacity, "hours": hours, "compulsory": compulsory,
                                  "audience": audience, "lecturer": "、".join(n.strip() for n in names)[:120],
                                  "enrol_opens": window.get("enrol_opens"),
                                  "enrol_closes": window.get("enrol_closes")})
    issues.raise_any()
    if not topics:
        raise ValidationError(_("工作表“%(s)s”没有课程行") % {"s": sheet})
    return list(topics.values())


# --- group enrolment: 身份证号 and 姓名 of people in the admin's scope -----------------------------------------

GROUP_COLUMNS = {"身份证号": "id_number", "姓名": "name"}


def group_template() -> bytes:
    """The group enrolment template: 身份证号 (as text) and 姓名."""
    return excel.write_template(sheet_title="报名名单", headers=[("身份证号", True, "18位，设为文本"),
                                                                   ("姓名", True, "")],
                                choices={}, text_columns=[0])


def read_group(upload, *, user) -> list[tuple[int, object]]:
    """[(Excel row, person)] in the sheet's order, every person on the register in the user's scope; or a
    ValidationError naming every bad cell. Whether each may take the session is decided by the enrolment."""
    sheet, rows, head, col = _one_sheet(
        upload, GROUP_COLUMNS, set(GROUP_COLUMNS.values()),
        none=_("需要一个含“身份证号”“姓名”两列的工作表"),
        several=_("多个工作表都有报名名单（%(names)s），请只保留一个"))
    issues = _Issues(sheet, col, {k: h for h, k in GROUP_COLUMNS.items()})
    parsed: list[tuple[int, str, dict]] = []
    for r, row in enumerate(rows[head + 1:], start=head + 2):
        cells = {k: excel.text(row[i]) if i < len(row) else "" for k, i in col.items()}
        if not any(cells.values()):
            continue
        try:
            number = clean_id_number(cells["id_number"])
        except ValueError as exc:
            issues.add(r, "id_number", cells["id_number"], str(exc) if cells["id_number"] else _("必填"))
            continue
        parsed.append((r, id_number_digest(number), cells))
    people = {p.id_digest: p for p in person_list(user=user).filter(
        is_active=True, id_digest__in=[d for _r, d, _c in parsed]).select_related("unit__region")}
    out: list[tuple[int, object]] = []
    first: dict[str, int] = {}
    for r, digest, cells in parsed:
        person = people.get(digest)
        if person is None:
            issues.add(r, "id_number", cells["id_number"], _("不是您管辖范围内在册的人员"))
        elif cells["name"] != person.name:
            issues.add(r, "name", cells["name"], _("与身份证号对应的姓名（%(n)s）不符") % {"n": person.name})
        elif digest in first:
            issues.add(r, "id_number", cells["id_number"], _("与第%(n)s行重复") % {"n": first[digest]})
        else:
            first[digest] = r
            out.append((r, person))
    issues.raise_any()
    if not out:
        raise ValidationError(_("工作表“%(s)s”没有报名人员") % {"s": sheet})
    return out
