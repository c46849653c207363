"""The county admin's pages for schemes, rounds, grade decisions and publishing; others are kept out."""

import datetime as dt
from decimal import Decimal

import pytest

from bole.assessment import services
from bole.assessment.models import GradeDecision, Indicator, Round, RoundSource, Scheme

NEW = "/assessment/schemes/new/"


def _form(rows, **scheme):
    """POST data of the scheme page: the scheme's fields and the indicator rows (prefix "ind")."""
    data = {"name": "一般干部年度考核", "target": "cadre", "period_kind": "year", "grouping": "all",
            "excellent_pct": "15", "quota_rounding": "floor", "tie_breakers": "task", "decimals": "2",
            "doc_prefix": "德组通", "issuer": "中共德清县委组织部", "is_active": "on", **scheme,
            "ind-TOTAL_FORMS": str(len(rows)), "ind-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
            "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        row = {"direction": "1", "normalisation": "raw", "missing": "zero", **row}
        for key, value in row.items():
            data[f"ind-{i}-{key}"] = value
    return data


ROWS = [{"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": "40"},
        {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": "60"}]


def _rows_of(scheme):
    return [{"id": str(i.pk), "code": i.code, "name": i.name, "kind": i.kind, "weight": str(i.weight),
             "direction": str(i.direction), "normalisation": i.normalisation, "missing": i.missing,
             "metric": i.metric, "categories": [str(c.pk) for c in i.categories.all()]}
            for i in scheme.indicators.order_by("sort", "id")]


def _scheme_data(scheme, **over):
    return {"name": scheme.name, "target": scheme.target, "period_kind": scheme.period_kind,
            "grouping": scheme.grouping, "excellent_pct": str(scheme.excellent_share * 100),
            "tie_breakers": " ".join(scheme.tie_breakers), **over}


@pytest.fixture
def publicity(computed, users):
    return services.round_transition(round=computed, to="publicity", actor=users["admin"])


def test_admin_creates_a_scheme_through_the_page(login):
    client = login("admin")
    page = client.get(NEW)
    assert page.status_code == 200 and "权重合计" in page.content.decode()
    resp = client.post(NEW, _form(ROWS))
    scheme = Scheme.objects.get(name="一般干部年度考核")
    assert resp.status_code == 302 and resp["Location"] == f"/assessment/schemes/{scheme.pk}/"
    assert scheme.excellent_share == Decimal("0.15") and scheme.tie_breakers == ["task"]
    assert list(scheme.indicators.order_by("sort").values_list("code", "weight")) == [("unit", 40), ("task", 60)]


@pytest.mark.parametrize(("rows", "scheme", "message"), [
    ([{**ROWS[0], "weight": "30"}, ROWS[1]], {}, "指标权重合计应为 100，现为 90"),
    (ROWS, {"excellent_pct": "25"}, "优秀比例不得超过 20%"),
    (ROWS, {"tie_breakers": "rating"}, "不是本方案的指标代码"),
    ([*ROWS, {"code": "pts", "name": "加减分", "kind": "ledger", "weight": "0"}], {}, "未选择积分类别"),
    ([{**ROWS[0], "weight": "abc"}, ROWS[1]], {}, "输入一个数字"),
])
def test_bad_input_shows_chinese_errors_and_saves_nothing(login, rows, scheme, message):
    resp = login("admin").post(NEW, _form(rows, **scheme))
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Scheme.objects.exists() and not Indicator.objects.exists()


def test_add_row_keeps_what_was_typed_and_saves_nothing(login):
    resp = login("admin").post(NEW, {**_form(ROWS), "add_row": "1"})
    assert resp.status_code == 200 and len(resp.context["formset"].forms) == 3
    assert "个人任务完成率" in resp.content.decode() and not Scheme.objects.exists()


def test_weight_total_preview(login):
    resp = login("admin").post(f"{NEW}?preview=1", _form([{**ROWS[0], "weight": "35"}, ROWS[1]]),
                               HTTP_HX_REQUEST="true")
    text = resp.content.decode()
    assert resp.status_code == 200 and "95" in text and "<html" not in text


def test_admin_edits_a_scheme_and_its_indicators(login, scheme):
    client = login("admin")
    assert client.get(f"/assessment/schemes/{scheme.pk}/").status_code == 200
    rows = _rows_of(scheme)
    rows[0]["weight"], rows[3]["weight"] = "25", "15"
    rows[2]["DELETE"] = "on"
    rows.append({"code": "bonus", "name": "创新加分", "kind": "manual", "weight": "30", "metric": "bonus"})
    resp = client.post(f"/assessment/schemes/{scheme.pk}/", _form(rows, **_scheme_data(scheme, excellent_pct="10")))
    assert resp.status_code == 302, resp.context and resp.context["form"].errors
    scheme.refresh_from_db()
    assert scheme.excellent_share == Decimal("0.10")
    assert list(scheme.indicators.order_by("sort").values_list("code", "weight")) == [
        ("unit", 25), ("task", 30), ("points", 15), ("bonus", 30)]


def test_locked_scheme_page_explains_and_refuses_edits(login, scheme, publicity):
    client = login("admin")
    page = client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    assert "已锁定" in page and "复制为新方案" in page
    rows = _rows_of(scheme)
    rows[0]["weight"], rows[1]["weight"] = "40", "20"
    resp = client.post(f"/assessment/schemes/{scheme.pk}/", _form(rows, **_scheme_data(scheme)))
    assert resp.status_code == 200 and "锁定" in resp.content.decode()
    assert scheme.indicators.get(code="unit").weight == 30
    resp = client.post(f"/assessment/schemes/{scheme.pk}/copy/", {"name": "科级领导干部季度考核（新版）"})
    copy = Scheme.objects.get(name="科级领导干部季度考核（新版）")
    assert resp.status_code == 302 and resp["Location"] == f"/assessment/schemes/{copy.pk}/"
    assert copy.indicators.count() == 4
    client.post(f"/assessment/schemes/{scheme.pk}/active/", {"active": ""})
    scheme.refresh_from_db()
    assert not scheme.is_active


@pytest.mark.parametrize("name", ["town1", "unit1v", "cadre"])
def test_only_the_county_admin_reaches_the_write_pages(login, users, scheme, computed, county, name):
    client = login(name)
    for url in (NEW, f"/assessment/schemes/{scheme.pk}/", "/assessment/rounds/new/"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, _form(ROWS)).status_code == 403, url
    assert client.post(f"/assessment/schemes/{scheme.pk}/copy/", {"name": "x"}).status_code == 403
    assert client.post(f"/assessment/schemes/{scheme.pk}/active/", {}).status_code == 403
    # A round still being computed is not visible outside the county at all.
    person = county["zhangsan"].pk
    assert client.post(f"/assessment/rounds/{computed.pk}/decisions/",
                       {"person": person, "grade": "不称职", "reason": "x"}).status_code == 404
    assert Scheme.objects.count() == 1 and not GradeDecision.objects.exists()


def test_published_round_decisions_are_403_for_unit_admins(login, users, computed, county):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"])
    client = login("town1")
    assert client.get(f"/assessment/rounds/{rnd.pk}/").status_code == 200
    resp = client.post(f"/assessment/rounds/{rnd.pk}/decisions/",
                       {"person": county["zhangsan"].pk, "grade": "不称职", "reason": "x"})
    assert resp.status_code == 403 and not GradeDecision.objects.exists()


def test_admin_creates_a_round_and_links_the_evaluation(login, users, scheme):
    from bole.evaluation.services import evaluation_create

    client = login("admin")
    page = client.get(f"/assessment/rounds/new/?scheme={scheme.pk}")
    assert page.status_code == 200
    for period, message in (("2024Q5", "考核周期应写成"), ("2024", "不一致")):
        resp = client.post("/assessment/rounds/new/", {"scheme": scheme.pk, "period": period})
        assert resp.status_code == 200 and message in resp.content.decode()
    resp = client.post("/assessment/rounds/new/", {"scheme": scheme.pk, "period": "2024q3"})
    rnd = Round.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/assessment/rounds/{rnd.pk}/"
    resp = client.post("/assessment/rounds/new/", {"scheme": scheme.pk, "period": "2024Q3"})
    assert "已有 2024Q3 的轮次" in resp.content.decode() and Round.objects.count() == 1
    page = client.get(f"/assessment/rounds/{rnd.pk}/").content.decode()
    assert "评议来源" in page and "干部群众多维评议" in page
    ev = evaluation_create(actor=users["admin"], name="第三季度民主测评", kind="ballot")
    rating = scheme.indicators.get(code="rating")
    resp = client.post(f"/assessment/rounds/{rnd.pk}/sources/", {"indicator": rating.pk, "evaluation": ev.pk})
    assert resp.status_code == 302 and RoundSource.objects.get(round=rnd, indicator=rating).evaluation == ev
    assert "第三季度民主测评" in client.get(f"/assessment/rounds/{rnd.pk}/").content.decode()


def test_admin_records_a_grade_decision_and_it_counts_after_recompute(login, computed, county):
    client = login("admin")
    me = county["zhangsan"]
    page = client.get(f"/assessment/rounds/{computed.pk}/").content.decode()
    assert "/pick/assessment-section_leader/" in page and "picker.js" in page
    search = client.get("/pick/assessment-section_leader/?person_q=zs", HTTP_HX_REQUEST="true").content.decode()
    assert f'data-id="{me.pk}"' in search
    assert "李四" not in client.get("/pick/assessment-section_leader/?person_q=ls").content.decode()
    resp = client.post(f"/assessment/rounds/{computed.pk}/decisions/",
                       {"person": me.pk, "grade": "基本称职", "reason": ""})
    assert not GradeDecision.objects.exists()
    assert "请填写依据" in client.get(resp["Location"]).content.decode()
    client.post(f"/assessment/rounds/{computed.pk}/decisions/",
                {"person": me.pk, "grade": "基本称职", "reason": "年度内受到诫勉"})
    page = client.get(f"/assessment/rounds/{computed.pk}/").content.decode()
    assert "年度内受到诫勉" in page and "请重新计算" in page
    client.post(f"/assessment/rounds/{computed.pk}/transition/", {"to": "computed"})
    assert computed.results.get(person=me).grade == "基本称职"
    decision = GradeDecision.objects.get()
    client.post(f"/assessment/decisions/{decision.pk}/remove/")
    assert not GradeDecision.objects.exists()


def test_a_decision_for_someone_outside_the_target_group_is_refused(login, users, computed, county):
    client = login("admin")
    resp = client.post(f"/assessment/rounds/{computed.pk}/decisions/",  # 李四 is no section leader
                       {"person": county["lisi"].pk, "grade": "不称职", "reason": "受到处分"})
    assert "该人员不是本方案的考核对象" in client.get(resp["Location"]).content.decode()
    resp = client.post(f"/assessment/rounds/{computed.pk}/decisions/",
                       {"person_q": "李四", "grade": "不称职", "reason": "受到处分"})
    assert "找不到" in client.get(resp["Location"]).content.decode()
    assert not GradeDecision.objects.exists()


def test_decisions_are_closed_once_published(login, users, computed, county):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"],
                                    publicity_until=dt.date(2024, 4, 20), on=dt.date(2024, 4, 15))
    rnd = services.round_transition(round=rnd, to="published", actor=users["admin"], on=dt.date(2024, 4, 21))
    client = login("admin")
    page = client.get(f"/assessment/rounds/{rnd.pk}/").content.decode()
    assert "记录决定" not in page
    resp = client.post(f"/assessment/rounds/{rnd.pk}/decisions/",
                       {"person": county["zhangsan"].pk, "grade": "不称职", "reason": "x"})
    assert "已发布或归档的轮次不能修改" in client.get(resp["Location"]).content.decode()
    assert not GradeDecision.objects.exists()


def test_round_page_says_when_publishing_becomes_possible(login, publicity):
    client = login("admin")
    page = client.get(f"/assessment/rounds/{publicity.pk}/").content.decode()
    day = publicity.publicity_until + dt.timedelta(days=1)
    assert f"{day:%Y-%m-%d} 起可发布" in page
    resp = client.post(f"/assessment/rounds/{publicity.pk}/transition/", {"to": "published"})
    assert "起方可发布" in client.get(resp["Location"]).content.decode()
    assert Round.objects.get(pk=publicity.pk).status == "publicity"
