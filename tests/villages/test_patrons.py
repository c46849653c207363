"""强村局长: pairings (one live per head and village), the log, problems raised to the 强村难题 desk, by role."""

import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from bole.cases.choices import Action, State
from bole.cases.desks import CATCHALL, desks_ensure
from bole.cases.models import Case
from bole.cases.services import case_transition
from bole.core.models import AuditEvent
from bole.core.tokens import api_token_issue
from bole.org import services as org_services
from bole.org.choices import UnitKind
from bole.org.demo import make_id_number
from bole.villages import selectors, services
from bole.villages.choices import LogKind
from bole.villages.models import Patron, PatronLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads(world, users):
    """A county department with two section-level leaders, the first with a cadre login."""
    rng = random.Random(3)
    dept = org_services.unit_create(actor=None, name="县农业农村局", kind=UnitKind.DEPARTMENT, region=world["county"])

    def person(name):
        idn = make_id_number(rng, "330521", dt.date(1978, 5, rng.randint(1, 28)), True)
        return org_services.person_create(actor=None, name=name, id_number=idn, unit=dept, is_section_leader=True,
                                          is_cadre=True)

    a, b = person("农局长"), person("农副局")
    login = org_services.account_create(username="nong", role="cadre", scope=a.id_number, password="pass-1234-word",
                                        actor=None)
    return {"dept": dept, "a": a, "b": b, "login": login}


def pair(world, users, heads, village="上杨村", head="a"):
    return services.patron_pair(village=world["villages"][village], person=heads[head], start=dt.date(2025, 1, 1),
                                end=dt.date(2027, 12, 31), actor=users["admin"])


def test_one_live_pairing_per_head_and_village(world, users, heads):
    p = pair(world, users, heads)
    assert AuditEvent.objects.filter(object_type="villages.patron", object_id=str(p.pk), action="create").exists()
    with pytest.raises(ValidationError) as exc:
        pair(world, users, heads)
    assert "该局长已与该村结对" in str(exc.value)
    pair(world, users, heads, head="b")  # another head, same village
    pair(world, users, heads, village="龙山村")  # same head, another village
    with pytest.raises(IntegrityError), transaction.atomic():  # the rule is the database's
        Patron.objects.create(village=p.village, person=p.person, start=p.start, end=p.end)
    services.patron_end(patron=p, actor=users["admin"])
    again = pair(world, users, heads)  # ended: a new term may begin
    assert again.pk != p.pk and Patron.objects.filter(village=p.village, person=p.person).count() == 2


def test_pairing_refuses_a_town_cadre_a_bad_term_and_non_county_staff(world, users, heads, county):
    with pytest.raises(ValidationError) as exc:
        services.patron_pair(village=world["villages"]["上杨村"], person=county["zhangsan"], start=dt.date(2025, 1, 1),
                             end=dt.date(2025, 12, 31), actor=users["admin"])
    assert "县级部门" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.patron_pair(village=world["villages"]["上杨村"], person=heads["a"], start=dt.date(2025, 1, 1),
                             end=dt.date(2024, 12, 31), actor=users["admin"])
    assert "end" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.patron_pair(village=world["villages"]["上杨村"], person=heads["a"], start=dt.date(2025, 1, 1),
                             end=dt.date(2025, 12, 31), actor=users["town1"])
    assert not Patron.objects.exists()


def test_log_by_the_head_and_the_towns_staff_not_by_others(world, users, heads):
    p = pair(world, users, heads)  # 上杨村 lies in 武康街道 (town1)
    today = selectors.local_today()
    services.patron_log(patron=p, kind=LogKind.VISIT, on=today, summary="走访村两委", actor=heads["login"])
    services.patron_log(patron=p, kind=LogKind.ACTION, on=today, summary="协调项目资金", actor=users["town1"])
    for outsider in (users["town2"], users["cadre"]):
        with pytest.raises(PermissionDenied):
            services.patron_log(patron=p, kind=LogKind.VISIT, on=today, summary="x", actor=outsider)
    with pytest.raises(ValidationError):
        services.patron_log(patron=p, kind=LogKind.VISIT, on=today + dt.timedelta(days=1), summary="x",
                            actor=users["admin"])
    with pytest.raises(ValidationError):
        services.patron_log(patron=p, kind=LogKind.PROBLEM, on=today, summary="x", actor=users["admin"])
    assert list(PatronLog.objects.values_list("summary", flat=True).order_by("id")) == ["走访村两委", "协调项目资金"]
    # what each sees
    assert list(selectors.patrons(user=heads["login"])) == [p]
    assert list(selectors.patrons(user=users["cadre"])) == []
    assert list(selectors.patrons(user=users["town2"])) == []
    with pytest.raises(Http404):
        selectors.patron_get(user=users["town2"], pk=p.pk)
    services.patron_end(patron=p, actor=users["admin"])
    with pytest.raises(ValidationError):
        services.patron_log(patron=p, kind=LogKind.VISIT, on=today, summary="x", actor=heads["login"])


def test_a_problem_opens_a_case_on_the_desk_with_its_deadline(world, users, heads):
    p = pair(world, users, heads)
    desk = services.problem_desk_ensure()
    land = desk.categories.get(name="项目用地")
    entry = services.patron_problem_raise(patron=p, title="村级物业用房用地指标难落实", description="需要协调用地指标",
                                          category=land, actor=heads["login"])
    case = entry.case
    assert entry.kind == LogKind.PROBLEM and case.desk.code == services.PROBLEM_DESK
    assert case.submitter_person == heads["a"] and case.state == State.SUBMITTED
    assert case.ref_id == p.pk and case.location == "武康街道上杨村"
    case = case_transition(case=case, action=Action.ACCEPT, actor=users["admin"])
    assert case.deadline is not None and case.deadline > case.received_on  # the category's 20 working days
    assert desk.escalation_steps  # the desk's escalation applies
    other = desks_ensure(actor=users["admin"])[CATCHALL].categories.first()
    with pytest.raises(ValidationError):  # another desk's category
        services.patron_problem_raise(patron=p, title="t", description="d", category=other, actor=users["admin"])
    with pytest.raises(PermissionDenied):
        services.patron_problem_raise(patron=p, title="t", description="d", actor=users["town2"])
    assert Case.objects.count() == 1


def test_pages_show_the_head_and_take_the_forms(world, users, heads, login, client):
    p = pair(world, users, heads)
    village = world["villages"]["上杨村"]
    c = login("admin")
    assert "农局长" in c.get(f"/villages/village/{village.pk}/").content.decode()
    from .test_import_index import per_town

    services.values_import(data=per_town(), year=2025, actor=users["admin"])
    rows = {r["village"].name: r for r in selectors.target_rows(user=users["admin"])}
    assert rows["上杨村"]["patrons"] == ["农局长"]
    assert "农局长" in c.get("/villages/target/?show=all").content.decode()
    # pairing through the page: a bad term is a form error, not a 500
    r = c.post(f"/villages/village/{world['villages']['龙山村'].pk}/patron/",
               {"person": heads["b"].pk, "start": "2026-01-01", "end": "2025-01-01"})
    assert r.status_code == 400 and "结对截止日期不能早于起始日期" in r.content.decode()
    r = c.post(f"/villages/village/{world['villages']['龙山村'].pk}/patron/",
               {"person": heads["b"].pk, "start": "2026-01-01", "end": "2027-01-01"})
    assert r.status_code == 302 and Patron.objects.filter(person=heads["b"]).exists()
    # the head, on their phone
    client.force_login(heads["login"])
    page = client.get(f"/villages/patron/{p.pk}/").content.decode()
    assert "记录走访或帮扶举措" in page and "提出问题" in page
    r = client.post(f"/villages/patron/{p.pk}/log/", {"kind": "visit", "on": "2026-01-05", "summary": "入户走访"})
    assert r.status_code == 302
    r = client.post(f"/villages/patron/{p.pk}/problem/", {"title": "", "description": "d"})
    assert r.status_code == 400
    r = client.post(f"/villages/patron/{p.pk}/problem/", {"title": "冷链仓储缺口", "description": "需要冷库"})
    assert r.status_code == 302 and Case.objects.filter(title="冷链仓储缺口").exists()
    assert "冷链仓储缺口" in client.get(f"/villages/patron/{p.pk}/").content.decode()
    assert client.get("/villages/patrons/").status_code == 200
    assert client.post(f"/villages/patron/{p.pk}/end/").status_code == 403  # only the county ends a pairing
    client.force_login(users["town2"])
    assert client.get(f"/villages/patron/{p.pk}/").status_code == 404
    assert client.post(f"/villages/patron/{p.pk}/log/", {"kind": "visit", "on": "2026-01-05",
                                                          "summary": "x"}).status_code == 404


def test_api_pairs_logs_and_raises(world, users, heads, client):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, label='t', actor=user)[1]}"}

    admin = auth(users["admin"])
    village = world["villages"]["曲溪村"]  # 舞阳街道 (town2)
    r = client.post("/api/v1/villages/patrons/", {"village_id": village.pk, "person_id": heads["a"].pk,
                                                  "start": "2025-01-01", "end": "2027-12-31"},
                    content_type="application/json", **admin)
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = client.post("/api/v1/villages/patrons/", {"village_id": village.pk, "person_id": heads["a"].pk,
                                                  "start": "2025-01-01", "end": "2027-12-31"},
                    content_type="application/json", **admin)
    assert r.status_code in (400, 422) and "person" in r.json()["errors"]
    r = client.post("/api/v1/villages/patrons/", {"village_id": 999999, "person_id": heads["a"].pk,
                                                  "start": "2025-01-01", "end": "2027-12-31"},
                    content_type="application/json", **admin)
    assert r.status_code == 422 and "village_id" in r.json()["errors"]
    head = auth(heads["login"])
    r = client.post(f"/api/v1/villages/patrons/{pid}/logs/", {"kind": "visit", "on": "2026-02-01",
                                                               "summary": "调研"},
                    content_type="application/json", **head)
    assert r.status_code == 201 and r.json()["kind"] == "visit"
    r = client.post(f"/api/v1/villages/patrons/{pid}/problems/", {"title": "村道审批", "description": "多部门"},
                    content_type="application/json", **head)
    assert r.status_code == 201 and r.json()["case_id"]
    town1 = auth(users["town1"])  # another town's village
    r = client.post(f"/api/v1/villages/patrons/{pid}/logs/", {"kind": "visit", "on": "2026-02-01",
                                                               "summary": "x"},
                    content_type="application/json", **town1)
    assert r.status_code == 404
    assert client.get("/api/v1/villages/patrons/", **town1).json()["count"] == 0
    assert client.get("/api/v1/villages/patrons/", **head).json()["items"][0]["person"] == "农局长"
