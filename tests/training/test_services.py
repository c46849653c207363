"""The lecture hall's rules through the real services: window, audience, drop rules, QR and code check-in, credit,
manual marking with its audit row, the 1/7 absence rule, the end test and its certificate, imported hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.ledger.models import PointEntry
from bole.training import services
from bole.training.models import Attendance, ClassMember, Enrolment

from .conftest import OPEN, START

pytestmark = pytest.mark.django_db


def test_enrol_outside_the_window_or_audience_is_refused(make_session, county, users):
    s = make_session(audience="section")
    with pytest.raises(ValidationError, match="选课时间"):
        services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=START - dt.timedelta(days=30))
    with pytest.raises(ValidationError, match="仅面向科级领导干部"):
        services.enrol(session=s, person=county["lisi"], actor=None, now=OPEN)
    row = services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    assert row.status == "enrolled"
    assert AuditEvent.objects.filter(object_type="training.enrolment", object_id=str(row.pk)).exists()


def test_a_cadre_cannot_enrol_someone_else(make_session, county, users):
    s = make_session()
    with pytest.raises(PermissionDenied):
        services.enrol(session=s, person=county["lisi"], actor=users["cadre"], now=OPEN)


def test_staff_enrol_people_of_their_scope_only(make_session, county, users):
    s = make_session()
    assert services.enrol(session=s, person=county["lisi"], actor=users["town1"], now=OPEN).status == "enrolled"
    with pytest.raises(PermissionDenied):
        services.enrol(session=s, person=county["wangwu"], actor=users["town1"], now=OPEN)


def test_no_drop_after_start_and_compulsory_cannot_be_dropped(make_session, county, users):
    s = make_session()
    row = services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    with pytest.raises(ValidationError, match="已开始"):
        services.drop(enrolment=row, actor=users["cadre"], now=START + dt.timedelta(minutes=1))
    c = make_session(compulsory=True, title="必修课")
    row = services.enrol(session=c, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    with pytest.raises(ValidationError, match="必修课程不能退选"):
        services.drop(enrolment=row, actor=users["cadre"], now=OPEN)


def test_waitlist_promotes_in_order_and_a_dropped_cadre_may_enrol_again(make_session, make_people):
    s = make_session(capacity=2)
    a, b, c, d = make_people(4)
    rows = [services.enrol(session=s, person=p, actor=None, now=OPEN + dt.timedelta(seconds=i))
            for i, p in enumerate((a, b, c, d))]
    assert [r.status for r in rows] == ["enrolled", "enrolled", "waiting", "waiting"]
    services.drop(enrolment=rows[1], actor=None, now=OPEN)
    assert Enrolment.objects.get(pk=rows[2].pk).status == "enrolled"
    assert Enrolment.objects.get(pk=rows[3].pk).status == "waiting"
    # a waiter who drops frees nothing
    services.drop(enrolment=rows[3], actor=None, now=OPEN)
    assert Enrolment.objects.filter(session=s, status="enrolled").count() == 2
    again = services.enrol(session=s, person=b, actor=None, now=OPEN + dt.timedelta(minutes=5))
    assert again.status == "waiting"
    # more seats promote the waiter
    services.session_set_capacity(session=s, capacity=3, actor=None, now=OPEN)
    assert Enrolment.objects.get(pk=again.pk).status == "enrolled"
    with pytest.raises(ValidationError):
        services.session_set_capacity(session=s, capacity=2, actor=None, now=OPEN)


def test_qr_token_rotates_and_only_the_cadre_themself_checks_in(make_session, county, users):
    s = make_session()
    services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    t0 = START + dt.timedelta(minutes=5)
    token = services.qr_token(s, t0)
    assert services.qr_token(s, t0 + dt.timedelta(seconds=31)) != token or services.qr_window(t0) == services.qr_window(t0 + dt.timedelta(seconds=31))
    with pytest.raises(PermissionDenied):  # a unit admin cannot sign anyone in with the screen's token
        services.check_in(session=s, person=county["zhangsan"], actor=users["town1"], token=token, now=t0)
    with pytest.raises(ValidationError, match="过期"):  # two windows later the code is stale
        services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], token=token,
                          now=t0 + dt.timedelta(seconds=61))
    row = services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], token=token,
                            now=t0 + dt.timedelta(seconds=20))
    assert row.method == "qr"
    with pytest.raises(ValidationError, match="已签到"):
        services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], token=token,
                          now=t0 + dt.timedelta(seconds=21))


def test_late_arrival_uses_the_short_code_and_credit_is_the_smaller_time(make_session, county, users):
    s = make_session(hours=3)  # three clock hours, 3 学时
    services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    with pytest.raises(ValidationError, match="签到码不正确"):
        services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code="000000x",
                          now=START + dt.timedelta(hours=1))
    services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code=services.short_code(s),
                      now=START + dt.timedelta(hours=1))
    row = services.check_out(session=s, person=county["zhangsan"], actor=users["cadre"],
                             code=services.short_code(s), now=START + dt.timedelta(hours=2, minutes=30))
    assert row.method == "code"
    assert row.credited_hours == Decimal("1.50")


def test_early_arrival_and_late_sign_out_never_credit_more_than_scheduled(make_session, county, users):
    s = make_session(hours=4)
    services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    code = services.short_code(s)
    services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code=code,
                      now=START - dt.timedelta(minutes=20))
    row = services.check_out(session=s, person=county["zhangsan"], actor=users["cadre"], code=code,
                             now=START + dt.timedelta(hours=3))
    assert row.credited_hours == Decimal("4.00")


def test_check_in_needs_an_enrolment_and_the_room_open(make_session, county, users):
    s = make_session()
    code = services.short_code(s)
    with pytest.raises(ValidationError, match="未选修"):
        services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code=code, now=START)
    services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    with pytest.raises(ValidationError, match="不在签到时间"):
        services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code=code,
                          now=START - dt.timedelta(hours=2))


def test_manual_mark_needs_a_reason_and_the_host_and_is_audited(make_session, county, users):
    s = make_session(host=county["u1"])
    services.enrol(session=s, person=county["lisi"], actor=None, now=OPEN)
    with pytest.raises(ValidationError):
        services.attendance_mark(session=s, person=county["lisi"], actor=users["town1"], reason=" ")
    with pytest.raises(PermissionDenied):
        services.attendance_mark(session=s, person=county["lisi"], actor=users["town2"], reason="手机没电")
    row = services.attendance_mark(session=s, person=county["lisi"], actor=users["town1"], reason="手机没电",
                                   came=START + dt.timedelta(minutes=30))
    assert row.method == "manual" and row.credited_hours == Decimal("2.50")
    event = AuditEvent.objects.get(object_type="training.attendance", object_id=str(row.pk))
    assert event.changes["note"] == [None, "手机没电"]


def test_sessions_close_credits_check_ins_without_sign_out(make_session, county, users):
    s = make_session(hours=3)
    services.enrol(session=s, person=county["zhangsan"], actor=users["cadre"], now=OPEN)
    services.check_in(session=s, person=county["zhangsan"], actor=users["cadre"], code=services.short_code(s),
                      now=START)
    assert services.sessions_close(now=START + dt.timedelta(hours=4))["credited"] == 1
    assert Attendance.objects.get(session=s).credited_hours == Decimal("3.00")
    assert services.sessions_close(now=START + dt.timedelta(hours=5))["credited"] == 0


def _class(plan, make_session, users, n=7):
    c = services.class_create(actor=users["admin"], plan=plan, title="项目“双进”干部能力提升集训班", pass_mark=60,
                              test_date=dt.date(2026, 7, 1))
    sessions = [make_session(training_class=c, start=START + dt.timedelta(days=i), title=f"第{i + 1}讲")
                for i in range(n)]
    return c, sessions


def test_absence_over_one_seventh_withdraws_the_member(plan, make_session, county, users):
    c, sessions = _class(plan, make_session, users)
    for key in ("zhangsan", "lisi"):
        services.class_member_add(training_class=c, person=county[key], actor=users["admin"], now=OPEN)
    for i, s in enumerate(sessions):
        services.attendance_mark(session=s, person=county["zhangsan"], actor=users["admin"], reason="统一补录")
        if i > 0:  # 李四 misses the first session: exactly 1/7, still allowed
            services.attendance_mark(session=s, person=county["lisi"], actor=users["admin"], reason="统一补录")
    end = sessions[-1].ends_at
    assert services.class_check_absence(training_class=c, now=end) == 0
    # 李四 leaves the last session an hour early: now over 1/7
    services.attendance_mark(session=sessions[-1], person=county["lisi"], actor=users["admin"], reason="早退",
                             left=sessions[-1].ends_at - dt.timedelta(hours=1))
    assert services.class_check_absence(training_class=c, now=end) == 1
    assert ClassMember.objects.get(training_class=c, person=county["lisi"]).status == "withdrawn"


def test_end_test_passes_with_certificate_and_points(plan, make_session, county, users):
    c, sessions = _class(plan, make_session, users, n=1)
    for key in ("zhangsan", "lisi"):
        services.class_member_add(training_class=c, person=county[key], actor=users["admin"], now=OPEN)
        services.attendance_mark(session=sessions[0], person=county[key], actor=users["admin"], reason="统一补录")
    out = services.class_scores_record(training_class=c, scores={county["zhangsan"].pk: 88, county["lisi"].pk: 41},
                                       actor=users["admin"], now=sessions[0].ends_at)
    assert out == {"passed": 1, "failed": 1, "withdrawn": 0}
    m = ClassMember.objects.get(training_class=c, person=county["zhangsan"])
    assert m.certificate_no.startswith("2026-PX")
    assert PointEntry.objects.filter(person=county["zhangsan"], category__code="training").count() == 1
    with pytest.raises(ValidationError):
        services.class_scores_record(training_class=c, scores={county["wangwu"].pk: 90}, actor=users["admin"])
    from bole.training.certificates import render_docx

    assert render_docx(member=m, training_class=c)[:2] == b"PK"


def test_hours_standing_and_the_flag(plan, make_session, county, users):
    from bole.training.selectors import standing_of

    p = county["zhangsan"]
    services.learning_record_add(person=p, source="online", title="网络学院专题", day=dt.date(2026, 3, 1), hours=80,
                                 actor=users["town1"])
    st = standing_of(p, year=2026, now=START - dt.timedelta(days=1))
    assert st.done == Decimal(80) and not st.met and not st.meetable  # nothing left in the plan this year
    make_session(hours=12, start=START + dt.timedelta(days=30))
    st = standing_of(p, year=2026, now=START - dt.timedelta(days=1))
    assert st.meetable and st.missing == Decimal(10)
    with pytest.raises(PermissionDenied):
        services.learning_record_add(person=county["wangwu"], source="online", title="x", day=dt.date(2026, 3, 1),
                                     hours=1, actor=users["town1"])


@pytest.mark.parametrize(("points", "posted"), [(None, Decimal(2)), (5, Decimal(5)), (Decimal("0.5"), Decimal("0.5")),
                                                (0, None)])
def test_the_class_sets_the_points_its_pass_posts(plan, make_session, county, users, points, posted):
    c = services.class_create(actor=users["admin"], plan=plan, title="集训班", pass_mark=60, pass_points=points)
    s = make_session(training_class=c)
    services.class_member_add(training_class=c, person=county["zhangsan"], actor=users["admin"], now=OPEN)
    services.attendance_mark(session=s, person=county["zhangsan"], actor=users["admin"], reason="统一补录")
    services.class_scores_record(training_class=c, scores={county["zhangsan"].pk: 90}, actor=users["admin"],
                                 now=s.ends_at)
    entries = PointEntry.objects.filter(person=county["zhangsan"], category__code="training")
    assert [e.points for e in entries] == ([posted] if posted is not None else [])


@pytest.mark.parametrize("points", [-1, 21, Decimal("20.1")])
def test_class_points_outside_0_to_20_are_refused(plan, users, points):
    with pytest.raises(ValidationError) as err:
        services.class_create(actor=users["admin"], plan=plan, title="集训班", pass_points=points)
    assert "pass_points" in err.value.message_dict
