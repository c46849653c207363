"""成果检验 scores from Excel: one sheet with 身份证号, 姓名, 成绩; every bad row is named (sheet, row, column, value,
reason) and nothing is written while any row is bad."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bole.core import excel
from bole.org.models import id_number_digest

from .models import TrainingClass

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
