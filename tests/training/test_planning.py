"""Planning the lecture hall: topics, sessions and classes made on pages, the year's plan from Excel (every bad
cell named, nothing written while one is bad), the host's answer and lecturers, and a unit admin's group
enrolment by Excel and over the API (scope, seats then the waitlist in the file's order, refusals with reasons)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bole.core.api import token_issue
from bole.core.models import AuditEvent
from bole.training import importers, services
from bole.training.models import ClassMember, Enrolment, Lecturer, Session, Topic

from ..race import race

pytestmark = pytest.mark.django_db


def _xlsx(rows, title="Sheet1") -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.title = title
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("f.xlsx", buf.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


PLAN_HEAD = ["专题", "主题", "培训对象", "承办单位", "授课人", "授课人单位", "课程名称", "日期", "开始时间", "结束时间",
             "地点", "名额", "学时", "必修", "选修对象", "选课开始", "选课截止"]


def _plan_rows():
    return [
        ["年度计划表"],  # a title row above the header
        PLAN_HEAD,
        ["城市更新与片区开发", "城市建设", "全体干部", "武康街道党工委", "王教授、李研究员", "浙江大学", "城市更新的路径",
         "2026-09-05", "14:30", "17:00", "报告厅", 200, 3, "否", "全体干部", "2026-08-20", "2026-09-04"],
        ["城市更新与片区开发", "城市建设", "全体干部", "武康街道党工委", "王教授", "浙江大学", "片区开发实务",
         dt.date(2026, 9, 12), dt.time(9, 0), dt.time(11, 30), "报告厅", "80", "2.5", "是", "科级领导干部", "", ""],
        ["招商引资", "产业投资", "", "舞阳街道党工委", "", "", "产业链招商", "2026/10/1", "14：00", "16点", "会议室", 50,
         2, "", "", "", ""],
    ]


# --- the year's plan from Excel --------------------------------------------------------------------------


def test_plan_import_reads_topics_sessions_and_lecturers(plan, county, users):
    topics = importers.read_plan(_xlsx(_plan_rows()), plan=plan, user=users["admin"])
    out = services.plan_import(plan=plan, topics=topics, actor=users["admin"], publish=True)
    assert out == {"topics": 2, "sessions": 3, "lecturers": 2}  # 王教授 once
    urban = Topic.objects.get(plan=plan, title="城市更新与片区开发")
    assert (urban.theme, urban.host_unit, urban.host_status) == ("urban", county["u1"], "invited")
    assert sorted(urban.lecturers.values_list("name", "institution")) == [
        ("李研究员", "浙江大学"), ("王教授", "浙江大学")]
    s = Session.objects.get(title="片区开发实务")
    local = timezone.localtime(s.starts_at)
    assert (local.date(), local.hour, local.minute, s.capacity, str(s.hours), s.compulsory, s.audience) == (
        dt.date(2026, 9, 12), 9, 0, 80, "2.5", True, "section")
    assert timezone.localtime(s.ends_at).time() == dt.time(11, 30)
    assert s.status == "published" and s.enrol_closes == s.starts_at  # empty window: closes at the start
    first = Session.objects.get(title="城市更新的路径")
    assert timezone.localtime(first.enrol_opens).date() == dt.date(2026, 8, 20)
    assert timezone.localtime(first.enrol_closes) == timezone.make_aware(dt.datetime(2026, 9, 5, 0, 0))
    third = Session.objects.get(title="产业链招商")
    assert (timezone.localtime(third.starts_at).hour, timezone.localtime(third.ends_at).hour) == (14, 16)
    # the same file again adds nothing: every session is named as already in the plan
    with pytest.raises(ValidationError) as exc:
        importers.read_plan(_xlsx(_plan_rows()), plan=plan, user=users["admin"])
    assert len(exc.value.messages) == 3 and "计划中已有同名同时间的课程" in exc.value.messages[0]


def test_plan_import_names_every_bad_cell_and_writes_nothing(plan, county, users):
    rows = _plan_rows()
    rows[2][1] = "城建"  # not a theme
    rows[2][11] = "两百"  # capacity
    rows[3][3] = "舞阳街道党工委"  # the topic's host differs from row 3's
    rows[3][9] = "08:00"  # ends before it starts
    rows[4][3] = "不存在的局"
    rows[4][8] = "25:00"
    rows.append(["城市更新与片区开发", "城市建设", "", "武康街道党工委", "", "", "片区开发实务", "2026-09-12", "09:00",
                 "11:00", "会议室", 50, 2, "", "", "", ""])  # the same session as row 4
    with pytest.raises(ValidationError) as exc:
        importers.read_plan(_xlsx(rows, title="课程安排"), plan=plan, user=users["admin"])
    text = "\n".join(exc.value.messages)
    for expected in ("工作表“课程安排”第3行 B（主题） 列（值：城建）", "第3行 L（名额） 列（值：两百）：应为整数",
                     "第4行 D（承办单位） 列（值：舞阳街道党工委）：同一专题的承办单位须一致（第3行为“武康街道党工委”）",
                     "第4行 J（结束时间） 列（值：08:00）：结束时间须晚于开始时间",
                     "第5行 D（承办单位） 列（值：不存在的局）：不是您管辖范围内在册的单位",
                     "第5行 I（开始时间） 列（值：25:00）：无法识别的时间", "第6行 G（课程名称） 列（值：片区开发实务）：与第4行重复"):
        assert expected in text, expected
    assert not Topic.objects.exists() and not Session.objects.exists()


def test_plan_import_page_and_template(client, login, plan, users):
    c = login("admin")
    data = c.get("/training/plan-template/").content
    heads = [cell.value for cell in load_workbook(io.BytesIO(data)).active[1]]
    assert heads[:4] == ["专题*", "主题*", "培训对象", "承办单位*"]
    # the template's own example row imports (its host unit named there is not on this register: named as such)
    r = c.post(f"/training/plans/{plan.pk}/import/", {"file": SimpleUploadedFile(
        "t.xlsx", data, content_type="application/octet-stream")})
    assert r.status_code == 200 and "不是您管辖范围内在册的单位" in r.content.decode()
    r = c.post(f"/training/plans/{plan.pk}/import/", {"file": _xlsx(_plan_rows()), "publish": "on"})
    assert r.status_code == 302 and Session.objects.filter(plan=plan, status="published").count() == 3
    assert login("town1").get(f"/training/plans/{plan.pk}/import/").status_code == 403


# --- topics, sessions and classes on pages -------------------------------------------------------------------


def test_manage_page_creates_the_plan_then_lists_it(county, users, login):
    c = login("admin")
    assert "创建培训计划" in c.get("/training/manage/?year=2027").content.decode()
    r = c.post("/training/plans/new/", {"year": "2027", "organiser": str(county["dept"].pk), "title": ""})
    assert r.status_code == 302
    body = c.get("/training/manage/?year=2027").content.decode()
    assert "2027年干部大讲堂" in body and "新增专题" in body
    r = c.post("/training/plans/new/", {"year": "2027", "organiser": str(county["dept"].pk)})
    assert "该区划本年度已有培训计划" in r.content.decode()
    assert login("town1").get("/training/manage/").status_code == 403
    assert login("cadre").get("/training/manage/").status_code == 403


def test_topic_page_edit_host_answer_and_lecturers(plan, county, users, login):
    c = login("admin")
    r = c.post(f"/training/plans/{plan.pk}/topics/new/", {
        "title": "城市更新", "theme": "urban", "target_groups": "全体干部", "host_unit": str(county["u1"].pk)})
    topic = Topic.objects.get(plan=plan)
    assert r.status_code == 302 and topic.host_status == "invited"
    # the host (武康街道's admin) accepts and names a register person and an outside expert
    h = login("town1")
    assert h.post(f"/training/topics/{topic.pk}/", {"action": "accept"}).status_code == 302
    h.post(f"/training/topics/{topic.pk}/", {"action": "lecturer", "person": str(county["zhangsan"].pk)})
    h.post(f"/training/topics/{topic.pk}/", {"action": "lecturer", "name": "王教授", "institution": "浙江大学"})
    r = h.post(f"/training/topics/{topic.pk}/", {"action": "lecturer", "name": "", "institution": ""})
    assert "请选择在册人员，或填写外请专家的姓名" in r.content.decode()
    topic.refresh_from_db()
    assert topic.host_status == "accepted"
    assert sorted(topic.lecturers.values_list("name", "person_id")) == [("张三", county["zhangsan"].pk),
                                                                        ("王教授", None)]
    # another town's admin neither sees nor answers it
    assert login("town2").post(f"/training/topics/{topic.pk}/", {"action": "decline"}).status_code == 404
    assert login("town2").get(f"/training/topics/{topic.pk}/").status_code == 404
    # offered to another host, it is an invitation again
    c = login("admin")
    c.post(f"/training/topics/{topic.pk}/", {"action": "edit", "title": "城市更新", "theme": "urban",
                                             "host_unit": str(county["u2"].pk)})
    topic.refresh_from_db()
    assert (topic.host_unit, topic.host_status) == (county["u2"], "invited")
    lec = Lecturer.objects.get(name="王教授")
    c.post(f"/training/topics/{topic.pk}/", {"action": "remove", "lecturer": str(lec.pk)})
    assert not Lecturer.objects.filter(pk=lec.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(lec.pk)).exists()


def test_session_form_create_and_edit(plan, county, users, login):
    c = login("admin")
    start = timezone.localtime(timezone.now() + dt.timedelta(days=20)).replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    data = {"title": "国土空间规划", "host_unit": str(county["u1"].pk), "place": "礼堂", "capacity": "2",
            "hours": "3", "audience": "cadres", "starts_at": start.strftime(fmt),
            "ends_at": (start - dt.timedelta(hours=1)).strftime(fmt)}
    r = c.post(f"/training/plans/{plan.pk}/sessions/new/", data)
    assert "结束时间须晚于开始时间" in r.content.decode() and not Session.objects.exists()
    data["ends_at"] = (start + dt.timedelta(hours=3)).strftime(fmt)
    data["publish"] = "on"
    r = c.post(f"/training/plans/{plan.pk}/sessions/new/", data)
    s = Session.objects.get()
    assert r.status_code == 302 and s.status == "published" and s.enrol_closes == s.starts_at
    # three cadres for two seats: the third waits; two more seats on the edit page promote her
    for who in ("zhangsan", "lisi", "wangwu"):
        services.enrol(session=s, person=county[who], actor=None)
    waiter = Enrolment.objects.get(session=s, person=county["wangwu"])
    assert waiter.status == "waiting"
    data.update(capacity="4", place="二楼报告厅")
    del data["publish"]
    r = c.post(f"/training/sessions/{s.pk}/edit/", data)
    assert r.status_code == 302
    s.refresh_from_db()
    waiter.refresh_from_db()
    assert (s.capacity, s.place, waiter.status) == (4, "二楼报告厅", "enrolled")
    data["capacity"] = "1"
    assert "名额不能少于已选修人数（3）" in c.post(f"/training/sessions/{s.pk}/edit/", data).content.decode()
    assert login("town1").get(f"/training/sessions/{s.pk}/edit/").status_code == 403


def test_a_started_session_keeps_its_times(plan, make_session, users):
    s = make_session(start=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="课程已开始"):
        services.session_update(session=s, actor=users["admin"], hours=2)
    services.session_update(session=s, actor=users["admin"], place="三楼会议室")  # the room may still change
    with pytest.raises(PermissionDenied):
        services.session_update(session=s, actor=users["town1"], place="x")


def test_class_page_settings_and_members(plan, county, users, login, make_session):
    c = login("admin")
    r = c.post(f"/training/plans/{plan.pk}/classes/new/", {"title": "集训班", "pass_mark": "101"})
    assert "100" in r.content.decode()  # the pass mark's bound named on the field
    r = c.post(f"/training/plans/{plan.pk}/classes/new/", {"title": "能力提升集训班", "pass_mark": "70",
                                                          "pass_points": "21"})
    assert r.status_code == 200 and "pass_points" in r.context["form"].errors
    r = c.post(f"/training/plans/{plan.pk}/classes/new/", {"title": "能力提升集训班", "pass_mark": "70",
                                                          "pass_points": "3"})
    klass = plan.classes.get()
    assert r.status_code == 302 and (klass.pass_mark, klass.pass_points) == (70, 3)
    ses = make_session(training_class=klass, start=timezone.now() + dt.timedelta(days=5))
    c.post(f"/training/classes/{klass.pk}/edit/", {"action": "edit", "title": "能力提升集训班（一期）",
                                                   "pass_mark": "75", "test_date": "2026-12-30"})
    klass.refresh_from_db()
    assert (klass.title, klass.pass_mark, klass.test_date) == ("能力提升集训班（一期）", 75, dt.date(2026, 12, 30))
    assert klass.pass_points == 3  # left empty: kept
    r = c.post(f"/training/classes/{klass.pk}/edit/", {"action": "members",
                                                       "people": [str(county["zhangsan"].pk), str(county["lisi"].pk)]})
    assert r.status_code == 302
    assert set(ClassMember.objects.filter(training_class=klass).values_list("person_id", flat=True)) == {
        county["zhangsan"].pk, county["lisi"].pk}
    assert Enrolment.objects.filter(session=ses, status="enrolled").count() == 2  # enrolled in the class's session
    r = c.post(f"/training/classes/{klass.pk}/edit/", {"action": "members", "people": [str(county["lisi"].pk)]})
    assert "该学员已在本班" in r.content.decode()
    assert login("town1").get(f"/training/classes/{klass.pk}/edit/").status_code in (403, 404)


# --- group enrolment ---------------------------------------------------------------------------------------


def _group_file(people, *, names=None):
    rows = [["身份证号", "姓名"]]
    for i, p in enumerate(people):
        rows.append([p.id_number, (names or {}).get(i, p.name)])
    return _xlsx(rows, title="名单")


def test_group_enrolment_fills_seats_then_the_waitlist_in_file_order(make_session, make_people, county, users):
    s = make_session(capacity=3, start=timezone.now() + dt.timedelta(days=3))
    services.enrol(session=s, person=county["zhangsan"], actor=None)  # one seat already taken
    people = make_people(4)  # in 五四村, under 武康街道
    rows = importers.read_group(_group_file([people[2], people[0], county["zhangsan"], people[3], people[1]]),
                                user=users["town1"])
    done = services.enrol_group(session=s, people=[p for _r, p in rows], actor=users["town1"])
    got = [(p.name, row.status if row else None, why) for p, row, why in done]
    assert got == [("学员002", "enrolled", ""), ("学员000", "enrolled", ""), ("张三", None, "已选修或已在候补名单中"),
                   ("学员003", "waiting", ""), ("学员001", "waiting", "")]
    waiting = list(Enrolment.objects.filter(session=s, status="waiting").order_by("queued_at", "id")
                   .values_list("person__name", flat=True))
    assert waiting == ["学员003", "学员001"]
    assert Enrolment.objects.filter(session=s, status="enrolled").count() == 3
    assert AuditEvent.objects.filter(object_type="training.enrolment", action="create").count() == 5


def test_group_enrolment_refuses_by_the_single_rules(make_session, make_people, county, users):
    s = make_session(capacity=5, audience="section", start=timezone.now() + dt.timedelta(days=3))
    done = services.enrol_group(session=s, people=[county["zhangsan"], county["lisi"], county["wangwu"]],
                                actor=users["town1"])
    assert [(p.name, bool(row), why) for p, row, why in done] == [
        ("张三", True, ""), ("李四", False, "该课程仅面向科级领导干部"), ("王五", False, "不在您的管辖范围内")]
    with pytest.raises(PermissionDenied):
        services.enrol_group(session=s, people=[county["zhangsan"]], actor=users["cadre"])


def test_group_file_names_every_bad_row_and_nothing_is_written(make_session, county, users):
    s = make_session(capacity=5, start=timezone.now() + dt.timedelta(days=3))
    rows = [["报名表"], ["序号", "身份证号", "姓名"],
            [1, county["lisi"].id_number, "李四"],
            [2, county["zhangsan"].id_number, "张叁"],  # the wrong name
            [3, county["wangwu"].id_number, "王五"],  # 舞阳街道: outside 武康街道's scope
            [4, "330521198503011234", "某某"],  # a bad check digit
            [5, county["lisi"].id_number, "李四"]]  # twice
    with pytest.raises(ValidationError) as exc:
        importers.read_group(_xlsx(rows, title="名单"), user=users["town1"])
    text = "\n".join(exc.value.messages)
    assert "工作表“名单”第4行 C（姓名） 列（值：张叁）：与身份证号对应的姓名（张三）不符" in text
    assert f"第5行 B（身份证号） 列（值：{county['wangwu'].id_number}）：不是您管辖范围内在册的人员" in text
    assert "第6行 B（身份证号） 列（值：330521198503011234）" in text
    assert "第7行 B（身份证号） 列" in text and "与第3行重复" in text
    assert not Enrolment.objects.filter(session=s).exists()


def test_group_enrolment_page_shows_the_result(make_session, make_people, county, users, login):
    s = make_session(capacity=1, start=timezone.now() + dt.timedelta(days=3))
    people = make_people(2)
    c = login("town1")
    assert c.get(f"/training/sessions/{s.pk}/").content.decode().count("集体报名") == 1
    r = c.post(f"/training/sessions/{s.pk}/group/", {"file": _group_file(people)})
    body = r.content.decode()
    assert r.status_code == 200 and "已选修 1 人，候补 1 人，未报上 0 人" in body
    r = c.post(f"/training/sessions/{s.pk}/group/", {"file": _group_file(people, names={0: "别人"})})
    assert "与身份证号对应的姓名（学员000）不符" in r.content.decode()
    assert Enrolment.objects.filter(session=s).count() == 2
    data = c.get("/training/group-template/").content
    assert [x.value for x in load_workbook(io.BytesIO(data)).active[1]] == ["身份证号*", "姓名*"]
    assert login("cadre").get(f"/training/sessions/{s.pk}/group/").status_code == 403


def test_group_enrolment_api(client, make_session, make_people, county, users):
    s = make_session(capacity=1, start=timezone.now() + dt.timedelta(days=3))
    people = make_people(2)
    token = token_issue(user=users["town1"])
    url = f"/api/v1/training/sessions/{s.pk}/enrol-group/"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.post(url, {"person_ids": [people[1].pk, county["wangwu"].pk]}, content_type="application/json", **auth)
    assert r.status_code == 422 and "person_ids" in r.json()["errors"]  # 王五 is outside 武康街道
    assert not Enrolment.objects.filter(session=s).exists()
    r = client.post(url, {"person_ids": [people[1].pk, people[0].pk, county["zhangsan"].pk]},
                    content_type="application/json", **auth)
    assert r.status_code == 200
    body = r.json()
    assert [e["person_id"] for e in body["enrolled"]] == [people[1].pk]
    assert [e["person_id"] for e in body["waiting"]] == [people[0].pk, county["zhangsan"].pk]
    assert body["refused"] == []
    r = client.post(url, {"person_ids": [people[0].pk]}, content_type="application/json", **auth)
    assert r.json()["refused"] == [{"person_id": people[0].pk, "name": "学员000", "reason": "已选修或已在候补名单中"}]
    cadre = token_issue(user=users["cadre"])
    r = client.post(url, {"person_ids": [county["zhangsan"].pk]}, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {cadre}")
    assert r.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_group_lists_and_single_enrolments_racing_share_the_seats(make_session, make_people, users):
    """Four lists of 10 and 20 single cadres at once for 25 seats: exactly 25 seats; each list keeps the session's
    lock for its whole length, so its people queue together in the sheet's order."""
    from django.db import connection

    from .conftest import OPEN

    session = make_session(capacity=25)
    people = make_people(60)
    lists = [people[i * 10:(i + 1) * 10] for i in range(4)]
    singles = people[40:]

    def write(i):
        try:
            if i < 4:
                services.enrol_group(session=session, people=lists[i], actor=users["admin"], now=OPEN)
            else:
                services.enrol(session=session, person=singles[i - 4], actor=None, now=OPEN)
        finally:
            connection.close()

    assert race(write, n=24) == {"ok": 24}
    rows = list(Enrolment.objects.filter(session=session).order_by("queued_at", "id").values_list(
        "person_id", "status"))
    assert len(rows) == 60 and sum(s == "enrolled" for _p, s in rows) == 25
    assert [s for _p, s in rows] == ["enrolled"] * 25 + ["waiting"] * 35
    order = [p for p, _s in rows]
    for lst in lists:
        at = order.index(lst[0].pk)
        assert order[at:at + 10] == [p.pk for p in lst]  # together, in the sheet's order
