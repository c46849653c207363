"""Pages and API of the lecture hall: the plan, a session, enrolment on the page and over the API, the room's screen
for the host only, my hours, reports in scope, figures, the score import and the certificate."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from bole.core.api import token_issue
from bole.training import services
from bole.training.models import Attendance, ClassMember, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(plan, county, users):
    """A session open for enrolment now (starts in two days) and one running now with 张三 enrolled."""
    now = timezone.now()
    future = services.session_create(actor=users["admin"], plan=plan, host_unit=county["u1"], title="产业链招商实务",
                                     place="礼堂", starts_at=now + dt.timedelta(days=2),
                                     ends_at=now + dt.timedelta(days=2, hours=3), capacity=1, hours=3,
                                     enrol_opens=now - dt.timedelta(days=1), publish=True)
    running = services.session_create(actor=users["admin"], plan=plan, host_unit=county["u1"], title="国土空间规划",
                                      place="礼堂", starts_at=now - dt.timedelta(minutes=10),
                                      ends_at=now + dt.timedelta(hours=2), capacity=10, hours=3,
                                      enrol_opens=now - dt.timedelta(days=3), enrol_closes=now - dt.timedelta(hours=1),
                                      publish=True)
    services.enrol(session=running, person=county["zhangsan"], actor=None, now=now - dt.timedelta(days=2))
    return {"future": future, "running": running}


def test_plan_and_session_pages_for_a_cadre(login, live):
    c = login("cadre")
    body = c.get("/training/").content.decode()
    assert "产业链招商实务" in body and 'id="hours-progress"' in body
    r = c.post(f"/training/sessions/{live['future'].pk}/enrol/", follow=True)
    assert "选修成功" in r.content.decode()
    assert Enrolment.objects.get(session=live["future"]).status == "enrolled"


def test_api_enrol_full_session_goes_to_the_waitlist(client, live, county, users):
    from bole.org.services import account_create

    account_create(username="lisi", role="cadre", scope=county["lisi"].id_number, password="pass-1234-word", actor=None)
    a = token_issue(user=users["cadre"])
    from django.contrib.auth import get_user_model

    b = token_issue(user=get_user_model().objects.get(username="lisi"))
    url = f"/api/v1/training/sessions/{live['future'].pk}/enrol/"
    r1 = client.post(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {a}")
    r2 = client.post(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {b}")
    assert (r1.status_code, r1.json()["status"]) == (201, "enrolled")
    assert (r2.status_code, r2.json()["status"]) == (201, "waiting")
    r3 = client.post(url, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {a}")
    assert r3.status_code in (400, 422)
    roster = client.get(f"/api/v1/training/sessions/{live['future'].pk}/roster/",
                        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=users['admin'])}").json()
    assert [e["status"] for e in roster["enrolled"] + roster["waiting"]] == ["enrolled", "waiting"]
    drop = client.post(f"/api/v1/training/sessions/{live['future'].pk}/drop/", content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {a}")
    assert drop.status_code == 200
    assert Enrolment.objects.get(session=live["future"], person=county["lisi"]).status == "enrolled"


def test_room_screen_is_the_hosts_and_the_scan_checks_in(login, live, users):
    assert login("cadre").get(f"/training/sessions/{live['running'].pk}/screen/").status_code == 403
    host = login("town1")
    page = host.get(f"/training/sessions/{live['running'].pk}/screen/")
    assert page.status_code == 200 and b"<svg" in page.content
    token = services.qr_token(live["running"])
    cadre = login("cadre")
    r = cadre.post(f"/training/sessions/{live['running'].pk}/checkin/", {"t": token, "action": "in"}, follow=True)
    assert "签到成功" in r.content.decode()
    assert Attendance.objects.get(session=live["running"]).method == "qr"
    api = cadre.post(f"/api/v1/training/sessions/{live['running'].pk}/checkout/", {"code": services.short_code(live["running"])},
                     content_type="application/json")
    assert api.status_code == 200 and api.json()["credited_hours"] is not None


def test_mine_and_reports_and_stats(login, live, county, users):
    services.attendance_mark(session=live["running"], person=county["zhangsan"], actor=users["admin"], reason="补录")
    cadre = login("cadre")
    assert "学习档案" in cadre.get("/training/mine/").content.decode()
    assert cadre.get("/api/v1/training/mine/").json()["required"] == "90"
    assert cadre.get("/training/reports/").status_code == 403
    town2 = login("town2")
    assert "武康街道党工委" not in town2.get("/training/reports/").content.decode()
    admin = login("admin")
    assert "武康街道党工委" in admin.get("/training/reports/").content.decode()
    stats = admin.get("/api/v1/stats/training/").json()
    values = {f["key"]: f["value"] for f in stats["figures"]}
    assert values["training_sessions"] == 2 and values["training_attendances"] == 1
    tree = admin.get("/api/v1/stats/").json()
    keys = {f["key"] for t in tree["teams"] for m in t["mechanisms"] for f in m["figures"]}
    assert {"training_sessions", "training_attendances"} <= keys


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号", "姓名", "成绩"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "scores.xlsx"
    return buf


def test_score_import_names_the_bad_cell_and_writes_nothing(login, plan, county, users):
    c = services.class_create(actor=users["admin"], plan=plan, title="集训班", pass_mark=60)
    services.class_member_add(training_class=c, person=county["zhangsan"], actor=users["admin"])
    admin = login("admin")
    bad = admin.post(f"/training/classes/{c.pk}/scores/",
                     {"file": _sheet([[county["zhangsan"].id_number, "张三", "八十"]])}, follow=True)
    assert "第2行" in bad.content.decode() and "成绩须为数字" in bad.content.decode()
    assert ClassMember.objects.get(training_class=c).score is None
    ok = admin.post(f"/training/classes/{c.pk}/scores/", {"file": _sheet([[county["zhangsan"].id_number, "张三", 85]])},
                    follow=True)
    assert "结业 1 人" in ok.content.decode()
    m = ClassMember.objects.get(training_class=c)
    cert = login("cadre").get(f"/training/classes/{c.pk}/certificate/{m.pk}/")
    assert cert.status_code == 200 and cert["Content-Type"].startswith("application/vnd.openxml")
