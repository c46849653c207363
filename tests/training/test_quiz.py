"""The online end test (成果检验在线测试) through the real services, pages and API: writing and opening it, one
submission per member (a double submit counts once), marking, the score settled exactly as an imported one
(pass mark, certificate number, ledger points), 退学 members refused, the answer key kept from a member until they
submit; the .pdf certificate; the host's paged roster with a search."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from bole.core.api import token_issue
from bole.core.models import AuditEvent
from bole.ledger.models import PointEntry
from bole.training import quizzes, services
from bole.training.certificates import render_docx, render_pdf
from bole.training.models import ClassMember, QuizSubmission

from .conftest import OPEN, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def klass(plan, make_session, county, users):
    """A class with one (past) session: 张三 and 李四 attended all of it, 王五 none of it (over 1/7: 退学)."""
    c = services.class_create(actor=users["admin"], plan=plan, title="能力提升集训班", pass_mark=60,
                              test_date=dt.date(2026, 7, 1))
    s = make_session(training_class=c, start=START, title="第1讲")
    for key in ("zhangsan", "lisi", "wangwu"):
        services.class_member_add(training_class=c, person=county[key], actor=users["admin"], now=OPEN)
    for key in ("zhangsan", "lisi"):
        services.attendance_mark(session=s, person=county[key], actor=users["admin"], reason="统一补录")
    return c


@pytest.fixture
def quiz(klass, users):
    now = timezone.now()
    q = quizzes.quiz_create(training_class=klass, title="", opens_at=now - dt.timedelta(hours=1),
                            closes_at=now + dt.timedelta(hours=1), actor=users["admin"])
    add = quizzes.quiz_question_add
    q1 = add(quiz=q, kind="single", text="城市更新的首要原则是？", options=["拆", "留改拆并举", "建", "等"], key=[1],
             points=40, actor=users["admin"])
    q2 = add(quiz=q, kind="multiple", text="片区开发要统筹哪些方面？", options=["产业", "摆拍", "民生", "口号"],
             key=[0, 2], points=40, actor=users["admin"])
    q3 = add(quiz=q, kind="truefalse", text="招商引资须依法依规。", options=[], key=[0], points=20,
             actor=users["admin"])
    quizzes.quiz_transition(quiz=q, to="open", actor=users["admin"])
    q.refresh_from_db()
    return q, q1, q2, q3


def test_quiz_is_written_by_staff_and_moves_draft_open_closed(klass, users):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        quizzes.quiz_create(training_class=klass, title="x", opens_at=now, closes_at=now + dt.timedelta(hours=1),
                            actor=users["town1"])
    q = quizzes.quiz_create(training_class=klass, title="", opens_at=now, closes_at=now + dt.timedelta(hours=1),
                            actor=users["admin"])
    assert q.title == "能力提升集训班成果检验" and q.status == "draft"
    with pytest.raises(ValidationError, match="本班已有在线测试"):
        quizzes.quiz_create(training_class=klass, title="", opens_at=now, closes_at=now + dt.timedelta(hours=1),
                            actor=users["admin"])
    with pytest.raises(ValidationError, match="请先添加题目"):
        quizzes.quiz_transition(quiz=q, to="open", actor=users["admin"])
    with pytest.raises(ValidationError, match="单选题和判断题只能有一个答案"):
        quizzes.quiz_question_add(quiz=q, kind="single", text="?", options=["a", "b"], key=[0, 1], points=5,
                                  actor=users["admin"])
    with pytest.raises(ValidationError, match="答案须是已有的选项"):
        quizzes.quiz_question_add(quiz=q, kind="multiple", text="?", options=["a", "b"], key=[0, 2], points=5,
                                  actor=users["admin"])
    tf = quizzes.quiz_question_add(quiz=q, kind="truefalse", text="对吗", options=["x"], key=[1], points=5,
                                   actor=users["admin"])
    assert tf.options == ["正确", "错误"] and tf.number == 1
    with pytest.raises(ValidationError, match="不能从"):
        quizzes.quiz_transition(quiz=q, to="closed", actor=users["admin"])
    quizzes.quiz_transition(quiz=q, to="open", actor=users["admin"])
    with pytest.raises(ValidationError, match="不能再修改题目"):
        quizzes.quiz_question_add(quiz=q, kind="truefalse", text="再一题", options=[], key=[0], points=5,
                                  actor=users["admin"])
    quizzes.quiz_transition(quiz=q, to="closed", actor=users["admin"])
    assert AuditEvent.objects.filter(object_type="training.quiz", action="transition").count() == 2


def test_parse_key_letters_and_true_false():
    assert quizzes.parse_key("a, c", 4) == [0, 2]
    assert quizzes.parse_key("对", 2) == [0] and quizzes.parse_key("错", 2) == [1]
    with pytest.raises(ValidationError):
        quizzes.parse_key("E", 4)


def test_submission_is_marked_and_settled_like_an_imported_score(quiz, county, users):
    q, q1, q2, q3 = quiz
    row = quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=users["cadre"],
                              answers={str(q1.pk): [1], str(q2.pk): [2, 0], str(q3.pk): [1]})
    assert (row.points, row.score) == (Decimal("80.0"), Decimal("80.0"))
    m = ClassMember.objects.get(training_class=q.training_class, person=county["zhangsan"])
    assert (m.status, m.score) == ("passed", Decimal("80.0")) and m.certificate_no.startswith("2026-PX")
    assert PointEntry.objects.filter(person=county["zhangsan"], category__code="training").count() == 1
    # a second submission (a double tap) is refused and changes nothing
    with pytest.raises(ValidationError, match="只能作答一次"):
        quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=users["cadre"], answers={str(q1.pk): [0]})
    assert QuizSubmission.objects.filter(quiz=q).count() == 1
    assert ClassMember.objects.get(pk=m.pk).score == Decimal("80.0")
    assert PointEntry.objects.filter(person=county["zhangsan"], category__code="training").count() == 1
    assert AuditEvent.objects.filter(object_type="training.quizsubmission", action="create").count() == 1


def test_below_the_pass_mark_fails_and_withdrawn_and_others_are_refused(quiz, county, users):
    q, q1, q2, q3 = quiz
    quizzes.quiz_submit(quiz=q, person=county["lisi"], actor=None, answers={str(q1.pk): [0], str(q2.pk): [0]})
    lisi = ClassMember.objects.get(training_class=q.training_class, person=county["lisi"])
    assert (lisi.status, lisi.score, lisi.certificate_no) == ("failed", Decimal("0.0"), "")
    assert not PointEntry.objects.filter(person=county["lisi"]).exists()
    with pytest.raises(ValidationError, match="退学"):
        quizzes.quiz_submit(quiz=q, person=county["wangwu"], actor=None, answers={})
    assert not QuizSubmission.objects.filter(person=county["wangwu"]).exists()
    with pytest.raises(PermissionDenied):  # a cadre answers only for themself
        quizzes.quiz_submit(quiz=q, person=county["wangwu"], actor=users["cadre"], answers={})
    with pytest.raises(ValidationError, match="第 1 题只能选一个答案"):
        quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=users["cadre"], answers={str(q1.pk): [0, 1]})
    with pytest.raises(ValidationError, match="不是本测试的题目"):
        quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=users["cadre"], answers={"999999": [0]})


def test_outside_the_window_or_after_close_nothing_is_taken(quiz, county, users):
    q, q1, *_ = quiz
    with pytest.raises(ValidationError, match="测试未开放或已结束"):
        quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=None, answers={str(q1.pk): [1]},
                            now=q.closes_at + dt.timedelta(seconds=1))
    quizzes.quiz_transition(quiz=q, to="closed", actor=users["admin"])
    with pytest.raises(ValidationError, match="测试未开放或已结束"):
        quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=None, answers={str(q1.pk): [1]})
    assert not QuizSubmission.objects.exists()


def test_the_member_page_hides_the_key_until_submitted(login, quiz, county):
    q, q1, q2, q3 = quiz
    cadre = login("cadre")
    page = cadre.get(f"/training/classes/{q.training_class_id}/quiz/").content.decode()
    assert "城市更新的首要原则是？" in page and f'name="q{q1.pk}"' in page
    assert "正确答案" not in page and "答案：" not in page
    api = cadre.get(f"/api/v1/training/classes/{q.training_class_id}/quiz/").json()
    assert [x["key"] for x in api["questions"]] == [None, None, None] and api["mine"] is None
    r = cadre.post(f"/training/classes/{q.training_class_id}/quiz/submit/",
                   {f"q{q1.pk}": "1", f"q{q2.pk}": ["0", "2"], f"q{q3.pk}": "0"}, follow=True)
    body = r.content.decode()
    assert "已交卷，成绩 100 分" in body and "正确答案" in body
    again = cadre.post(f"/training/classes/{q.training_class_id}/quiz/submit/", {f"q{q1.pk}": "0"}, follow=True)
    assert "只能作答一次" in again.content.decode()
    api = cadre.get(f"/api/v1/training/classes/{q.training_class_id}/quiz/").json()
    assert api["questions"][1]["key"] == [0, 2] and api["mine"]["score"] == "100.0"
    assert api["mine"]["member_status"] == "passed"
    # the writer's page shows the key and the results; a town's admin has no quiz page
    admin = login("admin").get(f"/training/classes/{q.training_class_id}/quiz/").content.decode()
    assert "答案" in admin and "已交卷 1/3" in admin
    assert login("town1").get(f"/training/classes/{q.training_class_id}/quiz/").status_code in (403, 404)


def test_api_writes_opens_and_takes_a_quiz(client, klass, county, users):
    admin = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['admin'])}"}
    cadre = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['cadre'])}"}
    now = timezone.now()
    url = f"/api/v1/training/classes/{klass.pk}/quiz/"
    body = {"opens_at": (now - dt.timedelta(minutes=5)).isoformat(), "closes_at": (now + dt.timedelta(hours=1)).isoformat(),
            "questions": [{"kind": "single", "text": "一", "options": ["甲", "乙"], "key": [0], "points": 50},
                          {"kind": "truefalse", "text": "二", "key": [1], "points": 50}]}
    assert client.post(url, body, content_type="application/json", **cadre).status_code == 403
    bad = client.post(url, {**body, "questions": [{"kind": "single", "text": "一", "options": ["甲"], "key": [0],
                                                   "points": 5}]}, content_type="application/json", **admin)
    assert bad.status_code in (400, 422) and not hasattr(klass, "quiz_cache")
    r = client.post(url, body, content_type="application/json", **admin)
    assert r.status_code == 201 and r.json()["questions"][0]["key"] == [0]
    assert client.get(url, **cadre).status_code == 404  # a draft is not shown to members
    assert client.post(url + "state/", {"to": "open"}, content_type="application/json", **admin).status_code == 200
    ids = [x["id"] for x in client.get(url, **cadre).json()["questions"]]
    sub = client.post(url + "submit/", {"answers": {str(ids[0]): [0], str(ids[1]): [0]}},
                      content_type="application/json", **cadre)
    assert sub.status_code == 201 and sub.json()["score"] == "50.0" and sub.json()["member_status"] == "failed"
    twice = client.post(url + "submit/", {"answers": {}}, content_type="application/json", **cadre)
    assert twice.status_code in (400, 422)
    assert QuizSubmission.objects.count() == 1


def test_pdf_certificate_has_the_docx_number_and_words(login, quiz, county, users):
    q, q1, q2, q3 = quiz
    quizzes.quiz_submit(quiz=q, person=county["zhangsan"], actor=None,
                        answers={str(q1.pk): [1], str(q2.pk): [0, 2], str(q3.pk): [0]})
    m = ClassMember.objects.select_related("person").get(training_class=q.training_class, person=county["zhangsan"])
    data = render_pdf(member=m, training_class=q.training_class)
    assert data[:5] == b"%PDF-"
    text = re.sub(r"\s+", "", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    for words in ("结业证书", "张三同志", "能力提升集训班", "成果检验成绩100.0分", "准予结业", f"证书编号：{m.certificate_no}"):
        assert words in text
    from docx import Document

    docx_text = re.sub(r"\s+", "", "".join(p.text for p in Document(io.BytesIO(
        render_docx(member=m, training_class=q.training_class))).paragraphs))
    assert f"证书编号：{m.certificate_no}" in docx_text and "成果检验成绩100.0分" in docx_text
    r = login("cadre").get(f"/training/classes/{q.training_class_id}/certificate/{m.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    other = ClassMember.objects.get(training_class=q.training_class, person=county["lisi"])
    assert login("cadre").get(f"/training/classes/{q.training_class_id}/certificate/{other.pk}/pdf/").status_code == 404


def test_the_hosts_roster_is_paged_and_searchable(login, make_session, make_people, county, users):
    s = make_session(capacity=200, start=timezone.now() + dt.timedelta(days=3))
    people = make_people(120)
    for p in people:
        services.enrol(session=s, person=p, actor=None, now=timezone.now())
    host = login("town1")
    page1 = host.get(f"/training/sessions/{s.pk}/").content.decode()
    assert page1.count('name="reason"') == 50 and "已选修 120/200" in page1 and "已签到 0" in page1
    assert "1 / 3" in page1 and "学员000" in page1 and "学员050" not in page1
    page3 = host.get(f"/training/sessions/{s.pk}/roster/?page=3").content.decode()
    assert page3.count('name="reason"') == 20 and "学员119" in page3 and "3 / 3" in page3
    found = host.get(f"/training/sessions/{s.pk}/roster/?q=学员07").content.decode()
    assert found.count('name="reason"') == 10 and "找到 10 人" in found
    assert host.get(f"/training/sessions/{s.pk}/roster/?page=x").status_code == 400
