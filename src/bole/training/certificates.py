"""结业证书: a one-page .docx certificate with its number, for a class member who passed the end test."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .models import ClassMember, TrainingClass


def _run(paragraph, text: str, *, font: str, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = font, Pt(size), bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)


def _para(doc, text: str, *, font: str = "仿宋_GB2312", size: float = 16, bold: bool = False,
          align=WD_ALIGN_PARAGRAPH.LEFT, after: float = 12) -> None:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    _run(p, text, font=font, size=size, bold=bold)


def render_docx(*, member: ClassMember, training_class: TrainingClass) -> bytes:
    """The certificate as .docx bytes (the certificate's words are the official document's, in Chinese)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin = sec.bottom_margin = Mm(30)
    sec.left_margin = sec.right_margin = Mm(35)
    plan = training_class.plan
    _para(doc, "结 业 证 书", font="方正小标宋简体", size=36, align=WD_ALIGN_PARAGRAPH.CENTER, after=30)
    score = f"，成果检验成绩 {member.score:g} 分" if member.score is not None else ""
    _para(doc, f"{member.person.name}同志：", size=18)
    _para(doc, f"    参加{plan.region.name}“{training_class.title}”，完成规定课程{score}，经考核合格，准予结业。",
          size=18, after=40)
    _para(doc, f"{plan.organiser.name}", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    day = training_class.test_date or timezone.localdate()
    _para(doc, f"{day.year}年{day.month}月{day.day}日", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT, after=30)
    _para(doc, f"证书编号：{member.certificate_no}", size=12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
