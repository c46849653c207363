"""Create and edit pages of a talent and a startup project, and their API: the register's validation, scope, and
personal data never shown in full outside the logged reveal."""

from __future__ import annotations

import datetime as dt

from bole.core.api import token_issue
from bole.core.models import AuditEvent
from bole.talent.models import StartupProject, Talent

TODAY = dt.date.today()


def test_edit_page_keeps_phone_and_id_masked(client, users, other_talent):
    client.force_login(users["admin"])
    page = client.get(f"/talent/{other_talent.pk}/edit/").content.decode()
    assert "13800001111" not in page and other_talent.id_number not in page
    assert other_talent.phone_masked in page and other_talent.id_masked in page
    r = client.post(f"/talent/{other_talent.pk}/edit/", {
        "name": "周八", "phone": "", "level": "city", "category": "", "field": "工业互联网", "industry": "C",
        "education": "doctor", "origin": "cultivated", "region": other_talent.region_id,
        "arrival_date": (TODAY - dt.timedelta(days=10)).isoformat()})
    assert r.status_code == 302
    t = Talent.objects.get(pk=other_talent.pk)
    assert (t.level, t.field, t.education, t.phone) == ("city", "工业互联网", "doctor", "13800001111")
    assert AuditEvent.objects.filter(object_type="talent.talent", object_id=str(t.pk), action="update").exists()


def test_edit_refuses_bad_input_naming_the_field(client, users, other_talent):
    client.force_login(users["admin"])
    r = client.post(f"/talent/{other_talent.pk}/edit/", {
        "name": "周八", "phone": "12345", "level": "city", "field": "x", "industry": "C", "education": "doctor",
        "origin": "cultivated", "region": other_talent.region_id,
        "arrival_date": (TODAY + dt.timedelta(days=10)).isoformat()})
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "phone" in errors and "arrival_date" in errors
    assert Talent.objects.get(pk=other_talent.pk).level == "county"


def test_edit_is_scoped(client, users, talent, other_talent):
    client.force_login(users["town1"])  # 武康街道's office: 李四 is theirs, 周八 (舞阳街道) is not
    assert client.get(f"/talent/{talent.pk}/edit/").status_code == 200
    assert client.get(f"/talent/{other_talent.pk}/edit/").status_code == 404
    r = client.post(f"/talent/{other_talent.pk}/edit/", {"level": "national"})
    assert r.status_code == 404 and Talent.objects.get(pk=other_talent.pk).level == "county"
    client.force_login(users["cadre"])
    assert client.get(f"/talent/{talent.pk}/edit/").status_code in {403, 404}


def test_talent_on_the_register_keeps_the_register_name(client, users, talent):
    client.force_login(users["admin"])
    page = client.get(f"/talent/{talent.pk}/edit/").content.decode()
    assert 'name="name"' not in page


def test_project_create_and_edit(client, users, county, talent, other_talent):
    client.force_login(users["admin"])
    assert client.get("/talent/projects/new/").status_code == 200
    r = client.post("/talent/projects/new/", {
        "name": "智慧农业项目", "field": "农业物联网", "region": county["t1"].pk, "started_on": "2025-03-01",
        "stage": "seed", "investment": "120", "revenue": "", "founders": [talent.pk]})
    assert r.status_code == 302
    p = StartupProject.objects.get(name="智慧农业项目")
    assert list(p.founders.all()) == [talent] and p.region_code == county["t1"].code
    # founders without a master's or doctorate are refused on the field
    other_talent.education = "bachelor"
    Talent.objects.filter(pk=other_talent.pk).update(education="bachelor")
    r = client.post("/talent/projects/new/", {
        "name": "本科项目", "field": "x", "region": county["t1"].pk, "started_on": "2025-03-01", "stage": "seed",
        "founders": [other_talent.pk]})
    assert r.status_code == 200 and "founders" in r.context["form"].errors
    r = client.post(f"/talent/projects/{p.pk}/edit/", {"field": "农业物联网", "stage": "growth", "investment": "300",
                                                      "revenue": "50"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.stage, int(p.investment), int(p.revenue)) == ("growth", 300, 50)
    client.force_login(users["town2"])
    assert client.get(f"/talent/projects/{p.pk}/edit/").status_code == 404


def test_api_patch_and_project_create(client, users, county, talent, other_talent):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['admin'])}"}
    r = client.patch(f"/api/v1/talent/{other_talent.pk}/", {"field": "新材料", "level": "provincial"},
                     content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["field"] == "新材料" and r.json()["phone_masked"] != "13800001111"
    r = client.patch(f"/api/v1/talent/{other_talent.pk}/", {"level": "nope"}, content_type="application/json",
                     **auth)
    assert r.status_code == 400
    r = client.post("/api/v1/talent/projects/", {
        "name": "API项目", "field": "芯片", "region_id": county["t1"].pk, "started_on": "2025-01-01",
        "founder_ids": [talent.pk]}, content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["founders"] == [talent.pk]
    r = client.post("/api/v1/talent/projects/", {
        "name": "API项目2", "field": "芯片", "region_id": county["t1"].pk, "started_on": "2025-01-01",
        "founder_ids": [999999]}, content_type="application/json", **auth)
    assert r.status_code == 422
    pid = StartupProject.objects.get(name="API项目").pk
    r = client.patch(f"/api/v1/talent/projects/{pid}/", {"stage": "growth"}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["stage"] == "growth"
    town2 = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=users['town2'])}"}
    assert client.patch(f"/api/v1/talent/projects/{pid}/", {"stage": "closed"}, content_type="application/json",
                        **town2).status_code == 404
