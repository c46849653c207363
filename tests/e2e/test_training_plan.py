"""干部大讲堂 planning in the browser: the county makes the year's plan and offers a topic to a town, the town accepts
it and names an outside lecturer, the county adds a session of it, and the town enrols two of its people by Excel —
one seat, one on the waitlist."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import Workbook

from .conftest import DESKTOP, shot, ui_login

PW = "pass-1234-word"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db(transaction=True)
def test_plan_topic_host_session_and_group_enrolment(browser, live_url, users, county):
    admin = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    ui_login(admin, live_url, "admin", PW)
    admin.goto(f"{live_url}/training/")
    admin.get_by_role("link", name="培训计划管理").click()
    admin.get_by_label("组织单位（组织部）").fill("县委组织部")
    admin.get_by_role("button", name=re.compile("县委组织部")).first.click()
    admin.get_by_role("button", name="创建培训计划").click()
    admin.get_by_text("已创建培训计划").wait_for()

    admin.get_by_role("button", name="新增专题").click()
    admin.get_by_label("专题").fill("城市更新与片区开发")
    admin.get_by_label("主题").select_option("urban")
    admin.get_by_label("承办单位").fill("wk")
    admin.get_by_role("button", name=re.compile("武康街道党工委")).first.click()
    admin.get_by_role("button", name="保存").click()
    admin.get_by_text("已新增专题，待承办单位确认").wait_for()
    topic_url = admin.url

    host = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    ui_login(host, live_url, "town1", PW)
    host.goto(topic_url)
    host.get_by_role("button", name="确认承办").click()
    host.get_by_text("已确认承办").wait_for()
    host.get_by_text("添加授课人").click()
    host.get_by_label("外请专家姓名").fill("王教授")
    host.get_by_label("单位/机构").fill("浙江大学")
    host.get_by_role("button", name="添加", exact=True).click()
    host.get_by_role("cell", name="浙江大学").wait_for()
    shot(host, "training-topic-host")

    admin.goto(topic_url)
    admin.get_by_role("link", name="为本专题新增课程").click()
    start = timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(hour=14, minute=30)
    admin.get_by_label("地点").fill("区行政中心报告厅")
    admin.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label("结束时间").fill((start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label("名额").fill("1")
    admin.get_by_label("保存后立即发布").check()
    admin.get_by_role("button", name="保存").click()
    admin.get_by_text("已新增课程").wait_for()
    session_url = admin.url

    wb = Workbook()
    wb.active.append(["身份证号", "姓名"])
    wb.active.append([county["lisi"].id_number, "李四"])
    wb.active.append([county["zhangsan"].id_number, "张三"])
    buf = io.BytesIO()
    wb.save(buf)
    host.goto(session_url)
    host.get_by_role("link", name="集体报名").click()
    host.get_by_label("Excel 文件（.xlsx）").set_input_files(
        {"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": buf.getvalue()})
    host.get_by_role("button", name="上传并报名").click()
    host.get_by_text("已选修 1 人，候补 1 人，未报上 0 人").wait_for()
    shot(host, "training-group-enrol")
    from bole.training.models import Enrolment

    assert sorted(Enrolment.objects.values_list("person__name", "status")) == [("张三", "waiting"),
                                                                               ("李四", "enrolled")]
