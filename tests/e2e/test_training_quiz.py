"""成果检验在线测试 in the browser: the Organization Department writes a class's quiz and opens it; the trainee takes
it on a phone, sees no answer key before submitting, then the score, the key and the certificate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import DESKTOP, PHONE, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_staff_write_the_quiz_and_a_trainee_takes_it_on_a_phone(browser, live_url, users, county):
    from bole.training import services
    from bole.training.models import ClassMember

    now = timezone.now()
    plan = services.plan_create(actor=None, year=now.year, region=county["county"], organiser=county["dept"])
    klass = services.class_create(actor=None, plan=plan, title="项目“双进”干部能力提升集训班", pass_mark=60)
    start = now - dt.timedelta(days=2)
    session = services.session_create(
        actor=None, plan=plan, host_unit=county["u1"], title="第一讲", place="党校", starts_at=start,
        ends_at=start + dt.timedelta(hours=3), capacity=40, hours=3, enrol_opens=start - dt.timedelta(days=3),
        enrol_closes=start, training_class=klass, publish=True)
    services.class_member_add(training_class=klass, person=county["zhangsan"], actor=None,
                              now=start - dt.timedelta(days=1))
    services.attendance_mark(session=session, person=county["zhangsan"], actor=None, reason="统一补录")

    ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    staff = ctx.new_page()
    ui_login(staff, live_url, "admin", PW)
    staff.goto(f"{live_url}/training/classes/{klass.pk}/")
    staff.get_by_role("button", name="在线测试").click()
    local = timezone.localtime(now)
    staff.get_by_label("开始时间").fill(f"{local - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}")
    staff.get_by_label("结束时间").fill(f"{local + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}")
    staff.get_by_role("button", name="新建在线测试").click()
    staff.get_by_text("已保存").wait_for()
    for kind, text, options, key, points in (
            ("单选题", "城市更新的首要原则是？", "大拆大建\n留改拆并举\n只留不改", "B", "60"),
            ("判断题", "招商引资须依法依规。", "", "对", "40")):
        staff.get_by_label("题型").select_option(label=kind)
        staff.get_by_label("题目", exact=True).fill(text)
        staff.get_by_label("选项（每行一个；判断题不填）").fill(options)
        staff.get_by_label("答案（如 A、ACD；判断题填“对”或“错”）").fill(key)
        staff.get_by_label("分值").fill(points)
        staff.get_by_role("button", name="添加", exact=True).click()
        staff.get_by_text("已添加题目").wait_for()
    staff.once("dialog", lambda d: d.accept())
    staff.get_by_role("button", name="开放测试").click()
    staff.get_by_text("测试已开放").wait_for()

    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    ui_login(phone, live_url, "cadre", PW)  # 张三
    phone.goto(f"{live_url}/training/classes/{klass.pk}/")
    phone.get_by_role("button", name="在线测试").click()
    phone.get_by_text("城市更新的首要原则是？").wait_for()
    assert phone.get_by_text("正确答案").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_label("B. 留改拆并举").check()
    phone.get_by_label("错误").check()
    phone.once("dialog", lambda d: d.accept())
    phone.get_by_role("button", name="交卷").click()
    phone.get_by_text("已交卷，成绩 60 分").wait_for()
    assert phone.get_by_text("正确答案").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    member = ClassMember.objects.get(training_class=klass, person=county["zhangsan"])
    assert (member.status, member.score) == ("passed", 60) and member.certificate_no
    phone.get_by_role("link", name=f"结业证书 {member.certificate_no}").wait_for()
    staff.reload()
    staff.get_by_text("已交卷 1/1").wait_for()
    ctx.close()
    phone_ctx.close()
