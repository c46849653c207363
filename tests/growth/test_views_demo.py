"""Growth pages, API and the demo seed."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from bole.growth import demo
from bole.growth.models import GrowthRecord


def test_young_cadre_submits_and_mentor_signs_through_pages(client, young, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wang = young["wang"]
    entry = wang.entries.get(item__name="一次国情调研")
    client.force_login(young["wang_user"])
    assert client.get("/growth/").status_code == 200
    page = client.get(f"/growth/records/{wang.pk}/").content.decode()
    assert "填写佐证并提交导师" in page
    client.post(f"/growth/records/{wang.pk}/entries/{entry.pk}/submit/",
                {"evidence": "调研报告一篇", "evidence_file": SimpleUploadedFile("报告.txt", "内容".encode())})
    entry.refresh_from_db()
    assert entry.status == "submitted" and entry.evidence_file
    assert client.get(f"/growth/records/{wang.pk}/entries/{entry.pk}/file/").status_code == 200
    assert client.get(f"/growth/records/{young['li'].pk}/").status_code == 404
    client.force_login(young["mentor_user"])
    assert "王五 · 一次国情调研" in client.get("/growth/").content.decode()
    client.post(f"/growth/records/{wang.pk}/entries/{entry.pk}/transition/", {"to": "signed", "comment": "好"})
    entry.refresh_from_db()
    assert entry.status == "signed"
    client.force_login(users["town1"])  # another town: no record, no file
    assert client.get(f"/growth/records/{wang.pk}/entries/{entry.pk}/file/").status_code == 404


def test_manager_pages(client, young, users, county):
    client.force_login(users["town2"])
    assert "2024" in client.get("/growth/").content.decode()
    listing = client.get("/growth/records/?cohort=2024").content.decode()
    assert f'<td class="num">0/{young["wang"].entries.count()}</td>' in listing
    assert client.get("/growth/records/new/").status_code == 200
    client.post(f"/growth/records/{young['wang'].pk}/postings/",
                {"place": "塔山社区", "starts_on": "2024-09-01", "ends_on": "2025-03-01"})
    assert young["wang"].postings.count() == 1
    assert client.get("/growth/checklist/").status_code == 200
    assert client.post("/growth/checklist/", {"name": "x", "due_months": 3, "sort": 1}).status_code == 403
    assert [r["cohort"] for r in client.get("/api/v1/growth/cohorts/").json()] == [2024]
    assert [r["person"] for r in client.get("/api/v1/growth/records/").json()] == ["王五"]


def test_demo_seed(users, county):
    from bole.org.services import person_update

    for key in ("wangwu", "lisi", "zhaoliu"):
        person_update(person=county[key], actor=None, is_young_cadre=True)
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], password="pass-1234-word")
    assert counts["growth_records"] == 3 == GrowthRecord.objects.count()
    assert GrowthRecord.objects.filter(mentor=county["zhangsan"]).count() == 3
    assert demo.seed(scale=1, seed=2024, actor=users["admin"], password="x")["growth_records"] == 3

