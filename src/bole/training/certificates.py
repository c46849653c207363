"""结业证书: a one-page certificate with its number, as .docx and as .pdf, for a class member who passed the end
test."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

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


def certificate_text(*, member: ClassMember, training_class: TrainingClass) -> dict[str, str]:
    """The certificate's words (the official document's, in Chinese), the same in the .docx and the .pdf."""
    plan = training_class.plan
    score = f"，成果检验成绩 {member.score:g} 分" if member.score is not None else ""
    day = training_class.test_date or timezone.localdate()
    return {
        "title": "结 业 证 书",
        "to": f"{member.person.name}同志：",
        "body": f"    参加{plan.region.name}“{training_class.title}”，完成规定课程{score}，经考核合格，准予结业。",
        "organiser": f"{plan.organiser.name}",
        "date": f"{day.year}年{day.month}月{day.day}日",
        "number": f"证书编号：{member.certificate_no}",
    }


def render_docx(*, member: ClassMember, training_class: TrainingClass) -> bytes:
    """The certificate as .docx bytes (the certificate's words are the official document's, in Chinese)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin = sec.bottom_margin = Mm(30)
    sec.left_margin = sec.right_margin = Mm(35)
    t = certificate_text(member=member, training_class=training_class)
    _para(doc, t["title"], font="方正小标宋简体", size=36, align=WD_ALIGN_PARAGRAPH.CENTER, after=30)
    _para(doc, t["to"], size=18)
    _para(doc, t["body"], size=18, after=40)
    _para(doc, t["organiser"], size=16, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    _para(doc, t["date"], size=16, align=WD_ALIGN_PARAGRAPH.RIGHT, after=30)
    _para(doc, t["number"], size=12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


PDF_FONT = "STSong-Light"  # one of reportlab's built-in Adobe CID fonts: no font file, the reader supplies the glyphs


def render_pdf(*, member: ClassMember, training_class: TrainingClass) -> bytes:
    """The same certificate as a one-page A4 landscape .pdf (same number and words as the .docx)."""
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    t = certificate_text(member=member, training_class=training_class)
    buf = io.BytesIO()
    width, height = landscape(A4)
    left, right, top = 35 * mm, width - 35 * mm, height - 30 * mm
    pdf = canvas.Canvas(buf, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"结业证书 {member.certificate_no}")
    pdf.setFont(PDF_FONT, 36)
    pdf.drawCentredString(width / 2, top - 36, t["title"])
    pdf.setFont(PDF_FONT, 18)
    y = top - 36 - 60
    pdf.drawString(left, y, t["to"])
    y -= 34
    for line in simpleSplit(t["body"], PDF_FONT, 18, right - left):
        pdf.drawString(left, y, line)
        y -= 30
    y -= 40
    pdf.setFont(PDF_FONT, 16)
    pdf.drawRightString(right, y, t["organiser"])
    y -= 26
    pdf.drawRightString(right, y, t["date"])
    pdf.setFont(PDF_FONT, 12)
    pdf.drawString(left, 30 * mm, t["number"])
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
