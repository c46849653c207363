"""The finance office's workbook: 资金使用情况表 (one row per fund, a 合计 row, signatures), 商户结算明细 and
月度使用情况 — amounts in 元 with two decimals, computed in fen so the totals add up to the cent."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from . import selectors

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MONEY = "#,##0.00"


def _yuan(fen: int) -> float:
    # Two-decimal floats are exact enough to display; the sums are taken in fen before converting.
    return round(int(fen) / 100, 2)


def _sheet(ws, title: str, subtitle: str, header: list[str], rows: list[list], money_from: int, total: list | None,
           widths: list[int]) -> None:
    n = len(header)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(1, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.cell(2, 1, subtitle).alignment = Alignment(horizontal="right")
    for j, h in enumerate(header, 1):
        c = ws.cell(3, j, h)
        c.font, c.border = Font(bold=True), _BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = 4
    for row in rows + ([total] if total else []):
        for j, value in enumerate(row, 1):
            c = ws.cell(r, j, value)
            c.border = _BOX
            if j > money_from and isinstance(value, float):
                c.number_format = _MONEY
            if total is row:
                c.font = Font(bold=True)
        r += 1
    r += 1
    ws.cell(r, 1, _("填表人："))
    ws.cell(r, max(2, n // 2), _("审核人："))
    ws.cell(r, n, _("填表日期：%(d)s") % {"d": timezone.localdate().strftime("%Y年%m月%d日")})
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1


def workbook(*, user, year: int) -> bytes:
    wb = Workbook()
    unit = _("单位：元")
    funds = selectors.fund_rows(user=user, year=year)
    header = [_("序号"), _("政策文件"), _("政策条款"), _("年度"), _("年初预算"), _("追加预算"), _("预算合计"), _("已发放"),
              _("已核销"), _("已结算"), _("待结算"), _("未发放额度"), _("未兑付余额"), _("核销率（%）")]
    keys = ["initial", "topups", "budget", "issued", "redeemed", "settled", "pending", "unissued", "outstanding"]
    rows = [[i, f["policy"].document or "", f"{f['policy'].article} {f['policy'].name}".strip(), f["year"],
             *[_yuan(f[k]) for k in keys], f["rate"]] for i, f in enumerate(funds, 1)]
    sums = {k: sum(f[k] for f in funds) for k in keys}
    rate = round(100 * sums["redeemed"] / sums["budget"], 1) if sums["budget"] else 0.0
    total = [_("合计"), "", "", "", *[_yuan(sums[k]) for k in keys], rate]
    ws = wb.active
    ws.title = _("资金使用情况表")
    _sheet(ws, _("%(y)s年人才政策资金使用情况表") % {"y": year}, unit, header, rows, 4, total,
           [6, 16, 26, 6, *[13] * 9, 10])

    merchants = selectors.by_merchant(user=user, year=year)
    mkeys = ["amount", "settled", "pending", "held", "reversed"]
    mrows = [[i, m["name"], m["credit_code"], m["count"], *[_yuan(m[k]) for k in mkeys]]
             for i, m in enumerate(merchants, 1)]
    mtotal = [_("合计"), "", "", sum(m["count"] for m in merchants),
              *[_yuan(sum(m[k] for m in merchants)) for k in mkeys]]
    _sheet(wb.create_sheet(_("商户结算明细")), _("%(y)s年人才券商户结算明细表") % {"y": year}, unit,
           [_("序号"), _("商户名称"), _("统一社会信用代码"), _("核销笔数"), _("核销金额"), _("已结算"), _("待结算"),
            _("暂缓结算"), _("已冲正")], mrows, 4, mtotal, [6, 30, 22, 10, 14, 14, 14, 14, 14])

    mon = selectors.monthly(user=user, year=year)
    mh = [_("政策"), _("项目")] + [_("%(m)s月") % {"m": m} for m in mon["months"]] + [_("合计")]
    mrows2 = []
    for r in mon["rows"]:
        mrows2.append([r["policy"], _("发放"), *[_yuan(x) for x in r["issued"]], _yuan(r["issued_total"])])
        mrows2.append(["", _("核销"), *[_yuan(x) for x in r["redeemed"]], _yuan(r["redeemed_total"])])
    _sheet(wb.create_sheet(_("月度使用情况")), _("%(y)s年人才政策资金月度使用情况") % {"y": year}, unit, mh, mrows2, 2,
           None, [24, 8, *[11] * 12, 13])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
