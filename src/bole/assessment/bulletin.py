"""考核结果通报: the official bulletin of a published round as a .docx in official-document layout."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bole.core import periods

from .compute import GRADES
from .models import Result, Round

# GB/T 9704 sizes: 二号 22pt title, 三号 16pt body, 四号 14pt table text.
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12
RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text: str = "", *, font: str = "仿宋_GB2312", size: float = BODY_PT, bold: bool = False,
          align=None, indent: bool = False, color=None, space_after: float = 0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # fixed 28pt lines, the usual 22 lines a page
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold, color)
    return p


def _red_rule(paragraph) -> None:
    """The red line under the issuing authority's name (版头分隔线)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    _font(p.add_run(text), "仿宋_GB2312", TABLE_PT, bold)


def _chinese_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def bulletin_docx(rnd: Round) -> bytes:
    """Title, 文号, body, the table of grades by unit and the list of 优秀, signed and dated."""
    scheme = rnd.scheme
    rows = list(Result.objects.filter(round=rnd).select_related("person", "unit")
                .order_by("unit__path", "position", "person_id"))
    counts = Counter(r.grade for r in rows)
    by_unit: dict = defaultdict(lambda: {"unit": None, "counts": Counter(), "excellent": []})
    for r in rows:
        entry = by_unit[r.unit_id]
        entry["unit"] = r.unit
        entry["counts"][r.grade] += 1
        if r.grade == GRADES[0]:
            entry["excellent"].append(r.person.name)

    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)

    head = _para(doc, scheme.issuer, font="方正小标宋简体", size=30, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    head.paragraph_format.line_spacing = Pt(40)
    num = _para(doc, rnd.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _red_rule(num)
    _para(doc)
    label = periods.label(rnd.period)
    title = f"关于{label}{scheme.get_target_display()}奔跑赶超积分制考核结果的通报"
    _para(doc, title, font="方正小标宋简体", size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.line_spacing = Pt(36)
    _para(doc)
    _para(doc, "各镇（街道）党（工）委，县级机关各部门，各县属国有企业：")
    indicators = "、".join(f"{i.name}（{i.weight.normalize():f}%）" for i in scheme.indicators.order_by("sort", "id"))
    _para(doc, (
        f"根据奔跑赶超积分制考核办法，县委组织部对全县{len(rows)}名{scheme.get_target_display()}"
        f"{label}工作实绩进行了考核。考核设{indicators}等指标，按统一标准量化计分、分组排名，"
        f"经公示无异议（异议已逐一答复），现将考核结果通报如下。"), indent=True)
    parts = "，".join(f"{g}{counts.get(g, 0)}名" for g in GRADES if counts.get(g, 0))
    _para(doc, f"一、总体情况。本次考核共{len(rows)}人，其中{parts}。", indent=True)
    _para(doc, "二、各单位考核等次分布见附表。被评为“优秀”等次的同志要再接再厉、"
               "发挥示范作用；排名靠后的同志要对照指标查找差距、奋力赶超。", indent=True)
    _para(doc, "三、考核结果作为干部评先评优、选拔任用、教育管理的重要依据。各单位要用好考核结果，"
               "持续营造比学赶超、争先创优的浓厚氛围。", indent=True)
    _para(doc)
    _para(doc, "附表：各单位考核等次分布", font="黑体", size=BODY_PT)

    table = doc.add_table(rows=1, cols=3 + len(GRADES), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ["序号", "单位", "人数", *GRADES], strict=True):
        _cell(cell, text, bold=True)
    for n, entry in enumerate(by_unit.values(), start=1):
        cells = table.add_row().cells
        _cell(cells[0], str(n))
        _cell(cells[1], entry["unit"].short_name or entry["unit"].name, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell(cells[2], str(sum(entry["counts"].values())))
        for k, g in enumerate(GRADES):
            _cell(cells[3 + k], str(entry["counts"].get(g, 0)))
    cells = table.add_row().cells
    _cell(cells[1], "合计", bold=True)
    _cell(cells[2], str(len(rows)), bold=True)
    for k, g in enumerate(GRADES):
        _cell(cells[3 + k], str(counts.get(g, 0)), bold=True)
    widths = [Mm(12), Mm(58), Mm(14)] + [Mm(18)] * len(GRADES)
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w

    _para(doc)
    _para(doc, "“优秀”等次人员名单（按单位排列）", font="黑体", size=BODY_PT)
    for entry in by_unit.values():
        if entry["excellent"]:
            _para(doc, f"{entry['unit'].short_name or entry['unit'].name}：{'、'.join(entry['excellent'])}", indent=True)
    _para(doc)
    _para(doc, scheme.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    day = timezone.localtime(rnd.published_at).date() if rnd.published_at else timezone.localdate()
    _para(doc, _chinese_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
