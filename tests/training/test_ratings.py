"""课程评价 through the evaluation engine: one anonymous ballot link per attendee, nothing linking a ballot to its
rater, the scores computed when the rating closes, hosts and lecturers seeing theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bole.core.models import AuditEvent
from bole.evaluation import services as ev_services
from bole.evaluation.models import BallotToken, Evaluation
from bole.training import ratings, services
from bole.training.models import Attendance

from .conftest import OPEN, START

pytestmark = pytest.mark.django_db
AFTER = START + dt.timedelta(hours=4)


def _attend(s, person, actor):
    services.enrol(session=s, person=person, actor=None, now=OPEN)
    return services.attendance_mark(session=s, person=person, actor=actor, reason="统一补录")


def _ballot(token, ev, score):
    answers = {(sub.pk, c.pk): score for sub in ev.subjects.all() for c in ev.criteria.all()}
    ev_services.ballot_submit(token=token, answers=answers)


def _lectured_session(make_session, plan, county, users):
    topic = services.topic_create(actor=users["admin"], plan=plan, title="城市更新", host_unit=county["u1"])
    services.lecturer_add(topic=topic, actor=users["admin"], person=county["qianqi"])
    services.lecturer_add(topic=topic, actor=users["admin"], name="王教授", institution="浙江大学")
    s = make_session()
    s.topic, s.lecturer = topic, "钱七、王教授（浙江大学）"
    s.save(update_fields=["topic", "lecturer"])
    return s


def test_the_subjects_are_the_lecturers_the_session_names(make_session, plan, county, users):
    s = _lectured_session(make_session, plan, county, users)
    assert [(x["person"], x["label"]) for x in ratings._subjects(s)] == [(county["qianqi"], ""), (None, "王教授")]
    s.lecturer = "王教授"
    assert [x["label"] for x in ratings._subjects(s)] == ["王教授"]
    s.lecturer = "吴兴区织里镇党委书记 李明"  # a town's 一把手 lecturing on the topic: rated by name
    assert [x["label"] for x in ratings._subjects(s)] == ["吴兴区织里镇党委书记 李明"]
    s.lecturer = ""
    assert len(ratings._subjects(s)) == 2


def test_each_attendee_takes_one_link_and_only_their_own(make_session, plan, county, users):
    s = _lectured_session(make_session, plan, county, users)
    _attend(s, county["zhangsan"], users["admin"])
    with pytest.raises(ValidationError, match="签到后才能评价"):
        ratings.rating_link(session=s, person=county["lisi"], actor=None, now=AFTER)
    with pytest.raises(PermissionDenied):
        ratings.rating_link(session=s, person=county["zhangsan"], actor=users["town1"], now=AFTER)
    token = ratings.rating_link(session=s, person=county["zhangsan"], actor=users["cadre"], now=AFTER)
    with pytest.raises(ValidationError, match="只能评价一次"):
        ratings.rating_link(session=s, person=county["zhangsan"], actor=users["cadre"], now=AFTER)
    s.refresh_from_db()
    ev = Evaluation.objects.get(pk=s.rating_id)
    assert ev.kind == "ballot" and ev.status == "open"
    # The lecturers are the subjects: the register person by their record, the outside expert by name.
    assert sorted((x.person_id or 0, x.label) for x in ev.subjects.all()) == sorted(
        [(county["qianqi"].pk, "钱七"), (0, "王教授")])
    handed = BallotToken.objects.get(token=token)
    assert handed.handed and not handed.used
    # Nothing stored says whose link it was: the attendance holds a flag, the audit trail no token.
    assert Attendance.objects.get(session=s, person=county["zhangsan"]).rating_taken
    assert not any(token in str(e.changes) for e in AuditEvent.objects.all())


def test_no_link_after_the_rating_week(make_session, county, users):
    s = make_session()
    _attend(s, county["zhangsan"], users["admin"])
    with pytest.raises(ValidationError, match="评价已结束"):
        ratings.rating_link(session=s, person=county["zhangsan"], actor=users["cadre"],
                            now=s.ends_at + dt.timedelta(days=ratings.RATING_DAYS, minutes=1))


def test_scores_appear_when_the_rating_closes(make_session, make_people, plan, county, users):
    s = _lectured_session(make_session, plan, county, users)
    people = make_people(4)
    for p in people:
        _attend(s, p, users["admin"])
    ev = None
    for p, score in zip(people[:3], (10, 8, 6), strict=True):
        token = ratings.rating_link(session=s, person=p, actor=None, now=AFTER)
        ev = ev or Evaluation.objects.get(tokens__token=token)
        _ballot(token, ev, score)
    assert ratings.status_of(s)["open"] and ratings.status_of(s)["cast"] == 3
    assert ratings.ratings_close(now=s.ends_at + dt.timedelta(days=ratings.RATING_DAYS - 1)) == 0
    assert ratings.ratings_close(now=s.ends_at + dt.timedelta(days=ratings.RATING_DAYS)) == 1
    assert ratings.ratings_close(now=s.ends_at + dt.timedelta(days=ratings.RATING_DAYS)) == 0  # idempotent
    st = ratings.status_of(s)
    assert not st["open"] and len(st["results"]) == 2
    for r in st["results"]:
        assert r["n"] == 3
        assert r["score"] == pytest.approx(80.0)  # (10 + 8 + 6) / 3 = 8 of 10 on every criterion
    mine = list(ratings.lecturer_ratings(county["qianqi"]))
    assert [(m.subject.person_id, m.n_ratings) for m in mine] == [(county["qianqi"].pk, 3)]
    assert list(ratings.lecturer_ratings(county["zhangsan"])) == []


def test_pages_and_api(client, make_session, plan, county, users, monkeypatch):
    s = _lectured_session(make_session, plan, county, users)
    _attend(s, county["zhangsan"], users["admin"])
    monkeypatch.setattr("django.utils.timezone.now", lambda: AFTER)
    client.force_login(users["cadre"])
    page = client.get(reverse("training-session", args=[s.pk])).content.decode()
    assert "匿名评价本课" in page
    r = client.post(reverse("training-rate", args=[s.pk]))
    assert r.status_code == 302 and r.url.startswith("/b/")
    page = client.get(reverse("training-session", args=[s.pk])).content.decode()
    assert "匿名评价本课" not in page and "您已评价本课" in page
    again = client.post(reverse("training-rate", args=[s.pk]), follow=True)
    assert "只能评价一次" in again.content.decode()
    assert client.get(f"/api/v1/training/sessions/{s.pk}/rating/").status_code == 403
    # The host's admin sees the rating on the page and through the API.
    client.force_login(users["town1"])
    assert "课程评价" in client.get(reverse("training-session", args=[s.pk])).content.decode()
    body = client.get(f"/api/v1/training/sessions/{s.pk}/rating/").json()
    assert body["status"] == "open" and body["cast"] == 0 and body["results"] == []
