"""The audit page: staff words for records and actions, filters by person, record, action and dates, folded
request ids, and only the county reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bole.core.audit import audit_annotate, audit_filter, type_choices, type_label
from bole.core.models import AuditEvent


def test_record_types_read_as_the_models_verbose_names():
    assert type_label("org.unit") == "单位" and type_label("org.account") != "org.account"
    assert type_label("gone.model") == "gone.model"
    keys = dict(type_choices())
    assert keys["org.person"] == "人员" and "core.auditevent" not in keys


def test_the_page_shows_labels_not_keys_and_folds_request_ids(login, county):
    c = login("admin")
    page = c.get("/audit/").content.decode()
    assert "org.unit" not in page.replace('value="org.unit"', "")
    assert "单位" in page and "新建" in page
    assert "<details" in page and "请求编号" in page.split("<details", 1)[1]


def test_filters_by_person_record_action_and_dates(login, users, county):
    before = AuditEvent.objects.count()
    AuditEvent.objects.create(actor=users["town1"], actor_label="town1", action="update", object_type="org.unit",
                              object_id=str(county["u1"].pk), object_repr="武康街道党工委",
                              changes={"name": ["旧名", "武康街道党工委"]})
    c = login("admin")
    assert c.get("/audit/", {"actor": "town1"}).context["page"].paginator.count == 1
    assert c.get("/audit/", {"actor_id": users["town1"].pk}).context["page"].paginator.count == 1
    assert c.get("/audit/", {"actor": "nobody"}).context["page"].paginator.count == 0
    by_type = c.get("/audit/", {"type": "org.unit"}).context["page"].paginator.count
    assert 0 < by_type < before + 1
    resp = c.get("/audit/", {"type": "org.unit", "record": str(county["u1"].pk), "action": "update"})
    rows = list(resp.context["page"])
    assert [e.object_repr for e in rows] == ["武康街道党工委"]
    page = resp.content.decode()
    assert "名称" in page and "旧名 → 武康街道党工委" in page  # the field's label, before and after
    assert c.get("/audit/", {"record": "党工委"}).context["page"].paginator.count >= 1
    today = timezone.localdate()
    assert c.get("/audit/", {"since": today.isoformat(), "until": today.isoformat()}).context[
        "page"].paginator.count == before + 1
    assert c.get("/audit/", {"until": (today - dt.timedelta(days=1)).isoformat()}).context[
        "page"].paginator.count == 0
    assert c.get("/audit/", {"action": "nonsense"}).status_code == 400
    assert c.get("/audit/", {"since": "2024-13-01"}).status_code == 400


def test_the_record_s_present_name_shows_when_it_changed(county):
    unit = county["u1"]
    e = AuditEvent.objects.create(actor_label="x", action="update", object_type="org.unit", object_id=str(unit.pk),
                                  object_repr="旧的名称")
    gone = AuditEvent.objects.create(actor_label="x", action="create", object_type="org.unit", object_id="999999",
                                     object_repr="不在了")
    e, gone = audit_annotate([e, gone])
    assert e.current == unit.name and e.type_label == "单位" and not e.gone
    assert gone.gone and not gone.current


def test_date_filter_uses_a_range_on_the_timestamp():
    sql = str(audit_filter(AuditEvent.objects.all(), since=dt.date(2024, 1, 1), until=dt.date(2024, 1, 31)).query)
    assert '"at" >=' in sql and '"at" <' in sql and "django_datetime_cast_date" not in sql


@pytest.mark.parametrize("who", ["town1", "unit1v", "cadre", "ent"])
def test_only_the_county_reads_the_trail(login, who):
    assert login(who).get("/audit/").status_code == 403


def test_pages_keep_the_filters(login, users, county):
    for i in range(60):
        AuditEvent.objects.create(actor=users["town2"], actor_label="town2", action="export", object_type="org.unit",
                                  object_id=str(county["u2"].pk), object_repr=f"导出{i}")
    page = login("admin").get("/audit/", {"actor": "town2", "action": "export"}).content.decode()
    assert "actor=town2&amp;action=export&amp;page=2" in page
