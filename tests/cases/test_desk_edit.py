"""Desks are configuration edited on pages: county admins only, validated as a whole, audited, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.cases.models import CalendarEntry, Category, Desk
from bole.cases.services import desk_update
from bole.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post_data(*, cats, steps, **fields):
    """A desk form submission: fields plus the two formsets (categories `cat-`, escalation steps `step-`)."""
    data = {"name": "营商环境直通车", "description": "", "submitter_kinds": ["enterprise"], "decline_hours": "24",
            "is_active": "on", "cat-TOTAL_FORMS": str(len(cats)), "cat-INITIAL_FORMS": "0",
            "step-TOTAL_FORMS": str(len(steps)), "step-INITIAL_FORMS": "0"}
    for i, c in enumerate(cats):
        data.update({f"cat-{i}-{k}": v for k, v in c.items()})
    for i, s in enumerate(steps):
        data.update({f"step-{i}-{k}": v for k, v in s.items()})
    data.update(fields)
    return data


STEPS = [{"overdue_days": "0", "target": "unit_head"}, {"overdue_days": "2", "target": "desk_head"}]


def _snapshot(desk):
    desk = Desk.objects.get(pk=desk.pk)
    return (desk.name, desk.decline_hours, desk.escalation_steps, desk.submitter_kinds, desk.head_id,
            sorted(desk.assignable_units.values_list("pk", flat=True)),
            sorted(desk.categories.values_list("name", "deadline_days", "is_active")))


@pytest.mark.parametrize("who", ["town1", "unit1v", "cadre", "ent"])
def test_only_county_admin_may_open_or_post_desk_pages(login, users, catchall, who):
    c = login(who)
    edit = f"/cases/desks/{catchall.pk}/edit/"
    assert c.get("/cases/desks/new/").status_code == 403
    assert c.get(edit).status_code == 403
    before = _snapshot(catchall)
    assert c.post(edit, _post_data(cats=[{"name": "改掉", "deadline_days": "5", "is_active": "on"}],
                                   steps=STEPS)).status_code == 403
    assert c.post("/cases/desks/new/", _post_data(code="x", cats=[{"name": "a", "deadline_days": "5"}],
                                                  steps=STEPS)).status_code == 403
    assert _snapshot(catchall) == before and not Desk.objects.filter(code="x").exists()
    assert "/cases/desks/new/" not in c.get("/cases/desks/").content.decode()


def test_desk_handler_is_not_a_configurer(login, users, catchall):
    catchall.handlers.add(users["town1"])
    assert login("town1").get(f"/cases/desks/{catchall.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        desk_update(desk=catchall, name="兜底办", submitter_kinds=["enterprise"], decline_hours=24,
                    escalation_steps=[], categories=[{"name": "其他", "deadline_days": 10}], actor=users["town1"])


def test_anonymous_is_sent_to_login_and_unknown_desk_is_404(client, login, desks):
    assert client.get("/cases/desks/new/").status_code == 302
    assert login("admin").get("/cases/desks/99999/edit/").status_code == 404


def test_admin_creates_a_desk_from_the_page(login, users, county):
    c = login("admin")
    page = c.get("/cases/desks/new/").content.decode()
    assert "新建受理台" in page and "超期督办规则" in page
    data = _post_data(code="business", cats=[{"name": "融资", "deadline_days": "10", "is_active": "on"},
                                             {"name": "用工", "deadline_days": "7", "is_active": "on"},
                                             {"name": "", "deadline_days": ""}],  # a blank row is ignored
                      steps=STEPS, assignable_units=[str(county["u1"].pk), str(county["u2"].pk)],
                      head=str(county["zhangsan"].pk), handlers=[str(users["town1"].pk)])
    r = c.post("/cases/desks/new/", data)
    assert r.status_code == 302 and r.url == "/cases/desks/"
    desk = Desk.objects.get(code="business")
    assert desk.name == "营商环境直通车" and desk.head == county["zhangsan"] and desk.decline_hours == 24
    assert list(desk.categories.values_list("name", "deadline_days")) == [("融资", 10), ("用工", 7)]
    assert desk.escalation_steps == [{"overdue_days": 0, "target": "unit_head"},
                                     {"overdue_days": 2, "target": "desk_head"}]
    assert set(desk.assignable_units.all()) == {county["u1"], county["u2"]}
    assert list(desk.handlers.all()) == [users["town1"]]
    assert AuditEvent.objects.filter(object_type="cases.desk", object_id=str(desk.pk), action="create").exists()
    assert AuditEvent.objects.filter(object_type="cases.category", action="create").count() >= 2
    listing = c.get("/cases/desks/").content.decode()
    assert "营商环境直通车" in listing and "超期0日→承办单位负责人" in listing


def test_admin_edits_categories_units_steps_and_head(login, users, county, catchall):
    c = login("admin")
    page = c.get(f"/cases/desks/{catchall.pk}/edit/").content.decode()
    assert "政策变动没人管" in page and 'value="20"' in page
    cats = list(catchall.categories.all())
    rows = [{"pk": str(cats[0].pk), "name": "政策变动无人管", "deadline_days": "25", "is_active": "on"},
            {"pk": str(cats[1].pk), "name": cats[1].name, "deadline_days": "15", "is_active": "on"},
            {"pk": str(cats[2].pk), "name": cats[2].name, "deadline_days": "15"},  # unticked: deactivated
            {"pk": str(cats[3].pk), "name": cats[3].name, "deadline_days": "10", "is_active": "on"},
            {"name": "涉企执法", "deadline_days": "12", "is_active": "on"}]
    data = _post_data(name="兜底办", cats=rows, steps=[*STEPS, {"overdue_days": "5", "target": "desk_head"}],
                      decline_hours="48", assignable_units=[str(county["u1"].pk)], head=str(county["qianqi"].pk))
    r = c.post(f"/cases/desks/{catchall.pk}/edit/", data)
    assert r.status_code == 302
    catchall.refresh_from_db()
    assert catchall.decline_hours == 48 and catchall.head == county["qianqi"] and len(catchall.escalation_steps) == 3
    assert list(catchall.assignable_units.all()) == [county["u1"]]
    got = {n: (d, a) for n, d, a in catchall.categories.values_list("name", "deadline_days", "is_active")}
    assert got["政策变动无人管"] == (25, True) and got[cats[2].name] == (15, False) and got["涉企执法"] == (12, True)
    assert Category.objects.filter(desk=catchall).count() == 5  # deactivated, never deleted
    changes = AuditEvent.objects.filter(object_type="cases.desk", object_id=str(catchall.pk), action="update")
    assert any("decline_hours" in e.changes for e in changes) and any("assignable_units" in e.changes for e in changes)
    assert AuditEvent.objects.filter(object_type="cases.category", object_id=str(cats[2].pk),
                                     action="update", changes__is_active=[True, False]).exists()


def test_invalid_desk_is_refused_with_chinese_errors_and_nothing_saved(login, catchall, county):
    c = login("admin")
    before, audits = _snapshot(catchall), AuditEvent.objects.count()
    cats = list(catchall.categories.all())
    rows = [{"pk": str(cats[0].pk), "name": "其他", "deadline_days": "20", "is_active": "on"},  # clashes with #4
            {"pk": str(cats[1].pk), "name": cats[1].name, "deadline_days": "0", "is_active": "on"},
            {"name": "新类别", "deadline_days": "400", "is_active": "on"}]
    data = _post_data(name="兜底办", cats=rows, submitter_kinds=[], decline_hours="24",
                      steps=[{"overdue_days": "3", "target": "unit_head"}, {"overdue_days": "1", "target": "desk_head"}],
                      assignable_units=[str(county["u2"].pk)])
    r = c.post(f"/cases/desks/{catchall.pk}/edit/", data)
    assert r.status_code == 400
    page = r.content.decode()
    for message in ("未保存", "请至少选择一类可提交人", "督办规则须按超期天数递增", "办理时限须在 1 到 365 个工作日之间",
                    "新类别", "正被另一类别使用"):
        assert message in page, message
    assert _snapshot(catchall) == before and AuditEvent.objects.count() == audits


def test_form_level_errors_are_refused_too(login, catchall):
    c = login("admin")
    before = _snapshot(catchall)
    r = c.post(f"/cases/desks/{catchall.pk}/edit/", _post_data(
        name="", decline_hours="0", cats=[{"name": "其他", "deadline_days": "10", "is_active": "on"}], steps=STEPS))
    assert r.status_code == 400 and "未保存" in r.content.decode()
    assert _snapshot(catchall) == before


def test_new_desk_code_and_name_must_be_free(login, catchall):
    c = login("admin")
    r = c.post("/cases/desks/new/", _post_data(code="catchall", name="兜底办", steps=STEPS,
                                               cats=[{"name": "其他", "deadline_days": "10", "is_active": "on"}]))
    page = r.content.decode()
    assert r.status_code == 400 and "已被其他受理台使用" in page and "已有名为“兜底办”的受理台" in page
    r = c.post("/cases/desks/new/", _post_data(code="Bad Code!", name="新台", steps=STEPS, cats=[]))
    page = r.content.decode()
    assert "代码只能由小写字母" in page and "请至少设置一个有效的问题类别" in page
    assert Desk.objects.count() == 5


def test_service_refuses_a_category_of_another_desk(users, desks):
    other = desks["talent"].categories.first()
    with pytest.raises(ValidationError) as exc:
        desk_update(desk=desks["catchall"], name="兜底办", submitter_kinds=["enterprise"], decline_hours=24,
                    escalation_steps=[], actor=users["admin"],
                    categories=[{"pk": other.pk, "name": "安居", "deadline_days": 10, "is_active": True}])
    assert "类别不属于该受理台" in exc.value.message_dict["categories"]


def test_new_deadline_applies_to_cases_accepted_afterwards(login, users, county, catchall, new_case, clock):
    from bole.cases.choices import Action
    from bole.cases.services import case_transition

    cat = catchall.categories.get(name="其他")
    desk_update(desk=catchall, name="兜底办", submitter_kinds=["enterprise"], decline_hours=24,
                escalation_steps=catchall.escalation_steps, actor=users["admin"],
                categories=[{"pk": c.pk, "name": c.name, "deadline_days": 3 if c.pk == cat.pk else c.deadline_days,
                             "is_active": True} for c in catchall.categories.all()])
    clock.set(2024, 3, 4, 9, 0)
    case = case_transition(case=new_case(category_name="其他"), action=Action.ACCEPT, actor=users["admin"])
    assert case.deadline == dt.date(2024, 3, 7)


def test_calendar_page_adds_entries_for_admin_only(login, users):
    assert login("town1").post("/cases/calendar/", {"date": "2027-01-01", "kind": "holiday",
                                                    "name": "元旦"}).status_code == 403
    assert not CalendarEntry.objects.exists()
    r = login("admin").post("/cases/calendar/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert r.status_code == 302 and CalendarEntry.objects.get().name == "元旦"
    assert AuditEvent.objects.filter(object_type="cases.calendarentry", action="create").exists()


def test_only_the_county_creates_a_desk(users):
    """Desks are county configuration: a town admin's desk_create is refused and writes nothing."""
    from django.core.exceptions import PermissionDenied

    from bole.cases import services
    from bole.cases.models import Desk

    before = Desk.objects.count()
    with pytest.raises(PermissionDenied):
        services.desk_create(code="river", name="河长制受理台", categories=[("河道保洁", 5)], actor=users["town1"])
    assert Desk.objects.count() == before
    services.desk_create(code="river", name="河长制受理台", categories=[("河道保洁", 5)], actor=users["admin"])
    assert Desk.objects.count() == before + 1
