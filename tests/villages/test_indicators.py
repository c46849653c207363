"""The indicator configuration pages and API: the county adds and edits indicators; codes stay; bad values refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.core.models import AuditEvent
from bole.core.tokens import api_token_issue
from bole.villages import services
from bole.villages.models import Indicator

pytestmark = pytest.mark.django_db


def test_service_rules(world, users):
    ind = world["indicators"]
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=users["town1"], code="x", name="x")
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=ind["population"], denominator=ind["population"], actor=users["admin"])
    assert "denominator" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(indicator=ind["operating_income"], code="oi", actor=users["admin"])
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(actor=users["admin"], code="hotel", name="民宿床位", lo=10, hi=5)
    assert "hi" in exc.value.message_dict
    new = services.indicator_create(actor=users["admin"], code="beds", name="民宿床位", unit="张", weight=2)
    services.indicator_update(indicator=new, weight=1.5, actor=users["admin"])
    new.refresh_from_db()
    assert float(new.weight) == 1.5
    assert AuditEvent.objects.filter(object_type="villages.indicator", object_id=str(new.pk),
                                     action="update").exists()


def test_pages(world, users, login):
    c = login("admin")
    assert "户籍人口" in c.get("/villages/indicators/").content.decode()
    r = c.post("/villages/indicators/new/", {"code": "beds", "name": "民宿床位", "unit": "张", "direction": "1",
                                             "weight": "2", "scale": "1", "sort": "20", "in_index": "on",
                                             "is_active": "on"})
    assert r.status_code == 302
    beds = Indicator.objects.get(code="beds")
    r = c.post(f"/villages/indicator/{beds.pk}/edit/", {"code": "other", "name": "民宿床位数", "unit": "张",
                                                        "direction": "-1", "weight": "3", "scale": "1",
                                                        "sort": "20", "is_active": "on"})
    assert r.status_code == 302
    beds.refresh_from_db()
    assert beds.code == "beds" and beds.name == "民宿床位数" and beds.direction == -1 and not beds.in_index
    change = AuditEvent.objects.get(object_type="villages.indicator", object_id=str(beds.pk), action="update")
    assert "name" in change.changes and "weight" in change.changes
    r = c.post("/villages/indicators/new/", {"code": "beds2", "name": "民宿床位数", "direction": "1", "weight": "-1",
                                             "scale": "1", "sort": "1"})
    assert r.status_code == 400
    r = c.post(f"/villages/indicator/{beds.pk}/edit/", {"name": "民宿床位数", "direction": "1", "weight": "1",
                                                        "scale": "1", "sort": "1", "denominator": beds.pk})
    assert r.status_code == 400
    town = login("town1")
    assert town.get("/villages/indicators/").status_code == 200
    assert town.get("/villages/indicators/new/").status_code == 403
    assert town.post(f"/villages/indicator/{beds.pk}/edit/", {"name": "x"}).status_code == 403


def test_api(world, users, client):
    def auth(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, label='t', actor=user)[1]}"}

    admin = auth(users["admin"])
    pop = world["indicators"]["population"]
    r = client.post("/api/v1/villages/indicators/", {"code": "homestays", "name": "民宿数", "denominator_id": pop.pk,
                                                     "scale": 1000}, content_type="application/json", **admin)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.patch(f"/api/v1/villages/indicators/{pk}/", {"weight": 2.5}, content_type="application/json", **admin)
    assert r.status_code == 200 and r.json()["weight"] == 2.5
    r = client.patch(f"/api/v1/villages/indicators/{pk}/", {"denominator_id": pk}, content_type="application/json",
                     **admin)
    assert r.status_code in (400, 422)
    r = client.post("/api/v1/villages/indicators/", {"code": "homestays", "name": "民宿数"},
                    content_type="application/json", **admin)
    assert r.status_code in (400, 422)
    r = client.patch(f"/api/v1/villages/indicators/{pk}/", {"direction": 0}, content_type="application/json", **admin)
    assert r.status_code in (400, 422)
    r = client.patch(f"/api/v1/villages/indicators/{pk}/", {"weight": 1}, content_type="application/json",
                     **auth(users["town1"]))
    assert r.status_code == 403
