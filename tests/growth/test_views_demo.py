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
    for refused in (SimpleUploadedFile("报告.html", b"<html><script>alert(1)</script>", "text/html"),
                    SimpleUploadedFile("报告.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "application/pdf")):
        resp = client.post(f"/growth/records/{wang.pk}/entries/{entry.pk}/submit/",
                           {"evidence": "调研报告一篇", "evidence_file": refused}, follow=True)
        assert "只能上传图片" in resp.content.decode() or "文件超过 10 MB" in resp.content.decode()
        entry.refresh_from_db()
        assert entry.status == "todo" and not entry.evidence_file
    client.post(f"/growth/records/{wang.pk}/entries/{entry.pk}/submit/",
                {"evidence": "调研报告一篇", "evidence_file": SimpleUploadedFile("报告.pdf", b"%PDF-1.4 report")})
    entry.refresh_from_db()
    assert entry.status == "submitted" and entry.evidence_file.name.endswith(".pdf")
    assert "报告" not in entry.evidence_file.name and (tmp_path / entry.evidence_file.name).stat().st_mode & 0o777 == 0o600
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
    assert [r["cohort"] for r in client.get("/api/v1/growth/cohorts/").json()["items"]] == [2024]
    assert [r["person"] for r in client.get("/api/v1/growth/records/").json()["items"]] == ["王五"]


def test_demo_seed(users, county):
    from bole.org.services import person_update

    for key in ("wangwu", "lisi", "zhaoliu"):
        person_update(person=county[key], actor=None, is_young_cadre=True)
    counts = demo.seed(scale=1, seed=2024, actor=users["admin"], password="pass-1234-word")
    assert counts["growth_records"] == 3 == GrowthRecord.objects.count()
    assert GrowthRecord.objects.filter(mentor=county["zhangsan"]).count() == 3
    assert demo.seed(scale=1, seed=2024, actor=users["admin"], password="x")["growth_records"] == 3



def test_record_form_picks_a_young_cadre_and_a_mentor(client, young, users, county):
    from bole.org.services import person_update

    person_update(person=county["zhaoliu"], actor=None, is_young_cadre=True)
    client.force_login(users["town2"])  # 舞阳街道: 王五 (has a record), 赵六
    page = client.get("/growth/records/new/").content.decode()
    assert "/pick/young-cadres/" in page and "/pick/county-people/" in page and "picker.js" in page
    found = client.get("/pick/young-cadres/?person_q=zl").content.decode()
    assert "赵六" in found
    assert "王五" not in client.get("/pick/young-cadres/?q=ww").content.decode()  # already has a record
    assert "李四" not in client.get("/pick/young-cadres/?q=ls").content.decode()  # another town's
    assert "张三" in client.get("/pick/county-people/?mentor_q=zs").content.decode()  # a mentor from anywhere
    data = {"cohort": 2025, "started_on": "2025-08-01"}
    resp = client.post("/growth/records/new/", {**data, "person": county["lisi"].pk})
    assert resp.status_code == 200 and not GrowthRecord.objects.filter(person=county["lisi"]).exclude(
        pk=young["li"].pk).exists()
    assert "所选人员不在您的管辖范围内" in resp.content.decode()
    resp = client.post("/growth/records/new/", {**data, "person": county["zhaoliu"].pk, "mentor_q": "zs"})
    record = GrowthRecord.objects.get(person=county["zhaoliu"])
    assert resp.status_code == 302 and record.mentor == county["zhangsan"] and record.cohort == 2025
    assert "赵六" not in client.get("/pick/young-cadres/?q=zl").content.decode()
