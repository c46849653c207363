"""Importing the towns' sheets, computing the index, the lights and the 70万 target, pages and API by role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from bole.core.models import AuditEvent
from bole.villages import rules, selectors, services
from bole.villages.models import IndexRun, IndexScore, MonthlyIncome, VillageValue

from .conftest import VILLAGES_T1, VILLAGES_T2, workbook

HEAD = ["村", "村集体经济经营性收入（万元）", "村集体经济总收入", "户籍人口", "资产负债率", "接待游客"]


def per_town(year_factor=1.0, bad=None):
    sheets = {}
    for town, names in (("武康街道", ["五四村", *VILLAGES_T1]), ("舞阳街道", VILLAGES_T2)):
        rows = [HEAD]
        for k, name in enumerate(names):
            income = (40 + 25 * k) * year_factor
            rows.append([name, round(income, 1), income * 2, 2000 + 50 * k, 20 + k, 3 + k])
        sheets[town] = rows
    if bad:
        bad(sheets)
    return workbook(sheets)


@pytest.mark.django_db
def test_one_sheet_per_town_imports_every_village(world, users):
    out = services.values_import(data=per_town(), year=2025, actor=users["admin"])
    assert not out.issues and out.villages == 11
    assert VillageValue.objects.filter(year=2025).count() == 11 * 5
    assert AuditEvent.objects.filter(object_type="villages.villagevalue").count() == 55
    again = services.values_import(data=per_town(), year=2025, actor=users["admin"])
    assert again.created == 0 and again.unchanged == 55


@pytest.mark.django_db
def test_one_row_per_village_with_town_column_and_codes(world, users):
    v = world["villages"]
    data = workbook({"全县": [["镇街", "村", "区划代码", "村集体经济经营性收入"],
                              ["武康街道", "上杨村", "", 169], ["", "", v["曲溪村"].code, 88]]})
    out = services.values_import(data=data, year=2026, actor=users["admin"])
    assert not out.issues
    assert VillageValue.objects.get(village=v["上杨村"], year=2026).value == 169


@pytest.mark.django_db
def test_a_bad_row_names_sheet_row_column_value_and_writes_nothing(world, users):
    def spoil(sheets):
        sheets["舞阳街道"][3][1] = "八十万"  # 宋市村 (Excel row 4) has no number for its income
        sheets["武康街道"].append(["不存在村", 1, 1, 1, 1, 1])

    out = services.values_import(data=per_town(bad=spoil), year=2025, actor=users["admin"])
    texts = [i.as_text() for i in out.issues]
    assert any("舞阳街道" in t and "第4行" in t and "八十万" in t and "应为数字" in t for t in texts), texts
    assert any("不存在村" in t for t in texts)
    assert VillageValue.objects.count() == 0 and AuditEvent.objects.filter(
        object_type="villages.villagevalue").count() == 0


@pytest.mark.django_db
def test_a_town_cannot_import_another_towns_village(world, users):
    out = services.values_import(data=per_town(), year=2025, actor=users["town1"])
    assert out.issues and all("舞阳街道" in i.sheet for i in out.issues)
    assert VillageValue.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.values_import(data=per_town(), year=2025, actor=users["cadre"])


@pytest.mark.django_db
def test_unknown_column_and_duplicate_village_are_refused(world, users):
    data = workbook({"全县": [["镇街", "村", "村集体经济经营性收入", "幸福指数"],
                              ["武康街道", "上杨村", 100, 5], ["武康街道", "上杨村", 101, 5]]})
    texts = [i.as_text() for i in services.values_import(data=data, year=2025, actor=users["admin"]).issues]
    assert any("幸福指数" in t and "不是已配置的强村指标" in t for t in texts)
    assert any("第3行" in t and "同一个村" in t for t in texts)


@pytest.mark.django_db
def test_monthly_sheet_and_falling_month_refused(world, users):
    rows = [["镇街", "村", "月份", "累计经营性收入"], ["武康街道", "上杨村", 1, 20], ["武康街道", "上杨村", 2, 15]]
    out = services.values_import(data=workbook({"月度": rows}), year=2026, actor=users["admin"])
    assert any("不应小于" in i.as_text() for i in out.issues)
    rows[2][3] = 45
    out = services.values_import(data=workbook({"月度": rows}), year=2026, actor=users["admin"])
    assert not out.issues and MonthlyIncome.objects.filter(year=2026).count() == 2


def test_not_a_workbook_is_rejected(world, users):
    from bole.core.excel import WorkbookRejected

    with pytest.raises(WorkbookRejected):
        services.values_import(data=b"not a workbook", year=2025, actor=users["admin"])


def _three_years(users):
    for year, f in ((2023, 1.3), (2024, 1.15), (2025, 1.0)):
        assert not services.values_import(data=per_town(f), year=year, actor=users["admin"]).issues


@pytest.mark.django_db
def test_index_run_stores_version_parameters_intervals(world, users):
    _three_years(users)
    run = services.index_run(county=world["county"], year=2025, actor=users["admin"],
                             parameters={"samples": 500, "sobol_base": 64})
    assert run.engine_version == "index-1.0.0" and run.parameters["samples"] == 500
    assert run.villages == 11 and len(run.sensitivity["total"]) == 6
    scores = list(IndexScore.objects.filter(run=run))
    assert all(s.rank_low <= s.rank <= s.rank_high or s.rank_low <= s.rank_median <= s.rank_high for s in scores)
    top = min(scores, key=lambda s: s.rank)
    assert top.village.name == "劳岭村"  # the highest figures on every indicator but debt
    assert sum(v for v in top.contributions.values() if v) == pytest.approx(top.score, abs=0.01)
    with pytest.raises(PermissionDenied):
        services.index_run(county=world["county"], year=2025, actor=users["town1"])


@pytest.mark.django_db
def test_lights_and_target_rows(world, users):
    _three_years(users)
    rows = {r["village"].name: r for r in selectors.target_rows(user=users["admin"])}
    # 五四村 40 万 in 2025, falling from 52: red for both rules
    assert rows["五四村"]["light"] == "red" and rows["五四村"]["gap"] == pytest.approx(30)
    assert len(rules.RULES) == 5
    # a town admin sees only its own villages
    mine = {r["village"].name for r in selectors.target_rows(user=users["town1"])}
    assert mine == {"五四村", *VILLAGES_T1}


@given(months=st.dictionaries(st.integers(1, 12), st.floats(0, 500), min_size=1),
       full=st.dictionaries(st.integers(2018, 2025), st.floats(0, 500)))
@settings(max_examples=200, deadline=None)
def test_projection_and_crossing_properties(months, full):
    ev = rules.evaluate(full, months, 2026)
    m = max(months)
    assert ev["projected"] == pytest.approx(months[m] * 12 / m)
    if ev["projected"] >= rules.TARGET:
        assert ev["crossing"] == 2026 and "below_target" not in ev["codes"]
    else:
        assert "below_target" in ev["codes"] and ev["light"] == "red"
        assert ev["crossing"] is None or ev["crossing"] > 2026


def test_falling_two_years_is_red_even_above_target():
    ev = rules.evaluate({2023: 200, 2024: 150, 2025: 120}, {}, 2026)
    assert ev["light"] == "red" and ev["codes"][:1] == ["falling_two_years"]
    assert rules.evaluate({2023: 100, 2024: 150, 2025: 170}, {}, 2026)["light"] == "green"


@pytest.mark.django_db
def test_pages_by_role(world, users, login):
    _three_years(users)
    services.index_run(county=world["county"], year=2025, actor=users["admin"], parameters={"samples": 300})
    admin = login("admin")
    page = admin.get("/villages/").content.decode()
    assert "劳岭村" in page and "蠡山村" in page and "sens-data" in page
    score = IndexScore.objects.get(village=world["villages"]["五四村"])
    assert "指数构成" in admin.get(f"/villages/score/{score.pk}/").content.decode()
    assert "五四村" in admin.get("/villages/target/").content.decode()
    town = login("town1")
    page = town.get("/villages/").content.decode()
    assert "劳岭村" in page and "蠡山村" not in page
    other = IndexScore.objects.get(village=world["villages"]["蠡山村"])
    assert town.get(f"/villages/score/{other.pk}/").status_code == 404
    assert town.post("/villages/run/", {"county": world["county"].pk, "year": 2025}).status_code == 403
    assert login("cadre").get("/villages/").status_code == 403


@pytest.mark.django_db
def test_import_page_and_api(world, users, login):
    client = login("admin")
    resp = client.post("/villages/import/", {"year": 2025, "file": SimpleUploadedFile("v.xlsx", per_town())})
    assert "已导入 11 个村" in resp.content.decode()
    assert VillageValue.objects.filter(year=2025).count() == 55
    resp = client.post("/api/v1/villages/runs/", {"county_id": world["county"].pk, "year": 2025,
                                                  "parameters": {"samples": 200}}, content_type="application/json")
    assert resp.status_code == 201 and resp.json()["engine_version"] == "index-1.0.0"
    run_id = resp.json()["id"]
    scores = client.get(f"/api/v1/villages/runs/{run_id}/scores/").json()
    assert scores["count"] == 11 and scores["items"][0]["rank"] == 1
    bad = client.post("/api/v1/villages/runs/", {"county_id": 999999, "year": 2025},
                      content_type="application/json")
    assert bad.status_code == 422
    assert IndexRun.objects.count() == 1
