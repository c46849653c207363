"""The home page: the staff's cockpit (figures by team with their period, to-do, alerts, the towns side by side)
and a home of their own for everyone else."""

import json
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_county_admin_sees_the_cockpit_with_figures_todo_and_period(login, new_case, home):
    new_case()  # a 兜底办 problem waiting to be accepted
    page = text(login("admin").get("/?period=all"))
    assert "驾驶舱" in page and "干部队伍" in page and "基层治理" in page
    assert re.search(r"诉求待受理 1\b", page)
    assert re.search(r"1 个 家园支部 截至 \d{4}-\d\d-\d\d", page)  # a stock figure says its date
    assert re.search(r"1 个 兜底办问题 累计", page)  # a flow figure says its period
    year = text(login("admin").get("/?period=2024"))
    assert "2024年度" in year and "箭头为较2023年度的变化" in year


def test_a_mechanism_with_nothing_on_record_is_named_once_instead_of_zeros(login, home):
    page = text(login("admin").get("/?period=all"))
    idle = re.search(r"累计暂无记录：(\S+)", page)
    assert idle and "揭榜挂帅" in idle.group(1).split("、")  # no challenge on record in this county
    assert "家园支部" not in idle.group(1)
    tree = login("admin").get("/api/v1/stats/").json()
    mechs = {m["key"]: m for t in tree["teams"] for m in t["mechanisms"]}
    assert mechs["community"]["empty"] is False
    assert all(m["empty"] == all(f["value"] == 0 for f in m["figures"]) for m in mechs.values())


def test_a_bad_period_is_refused(login):
    assert login("admin").get("/?period=2024Q7").status_code == 400


def test_towns_side_by_side_and_a_town_sees_only_its_own_row(login, home):
    county_page = text(login("admin").get("/?period=all"))
    assert "德清县镇街赛马榜" in county_page and "楼道党员认领率" in county_page
    assert "武康街道" in county_page and "舞阳街道" in county_page
    town = text(login("town2").get("/?period=all"))  # 塔山社区 lies in 舞阳街道: half its stairwells adopted
    assert "舞阳街道 50 (1)" in town and "武康街道" not in town
    assert "本镇街综合第 1 名（共 2 个镇街）" in town


def test_a_party_member_sees_their_stairwells_and_requests(login, home):
    from bole.community import services

    services.resident_request_submit(stairwell=home["s1"], phone="13800001111", description="楼道灯坏了")
    page = text(login("cadre").get("/"))  # 张三 adopts 阳光花园3幢2单元
    assert "我的工作台" in page and "驾驶舱" not in page
    assert "我认领的楼道" in page and "阳光花园3幢2单元 1 件诉求办理中" in page
    assert "楼道灯坏了" in page


def test_an_enterprise_sees_its_problems_with_the_answer_date(login, new_case, users):
    from bole.cases.services import case_transition

    case = case_transition(case=new_case(), action="accept", actor=users["admin"])
    page = text(login("ent").get("/"))
    assert "我的诉求" in page and "厂区门口道路破损多年无人维修" in page
    assert f"预计 {case.deadline:%Y-%m-%d} 前答复" in page
    assert "驾驶舱" not in page and "家园支部" not in page


def test_a_judge_sees_the_events_to_score(client, county, users):
    from bole.evaluation import services
    from bole.org.services import account_create

    judge = account_create(username="j1", role="judge", scope=county["wangwu"].id_number, password="pass-1234-word",
                           actor=None)
    ev = services.evaluation_create(actor=users["admin"], name="村书记擂台赛", kind="contest")
    services.judge_add(evaluation=ev, user=judge, name="王五", actor=users["admin"])
    client.force_login(judge)
    assert "我的评分任务" not in text(client.get("/"))  # not open yet
    services.criterion_add(evaluation=ev, name="实绩", max_score=20, weight=1, actor=users["admin"])
    services.subject_add(evaluation=ev, label="赵六", actor=users["admin"])
    services.evaluation_transition(evaluation=ev, to="open", actor=users["admin"])
    page = text(client.get("/"))
    assert "我的评分任务" in page and "村书记擂台赛 去打分" in page


def test_the_big_screen_carries_its_first_data_and_refreshes_from_the_api(login, home):
    admin = login("admin")
    page = admin.get("/screen/?period=all").content.decode()
    assert "德清县赛马机制大屏" in page
    data = json.loads(re.search(r'<script id="screen-data" type="application/json">(.*?)</script>', page, re.S)[1])
    assert data["tree"]["period"]["label"] == "累计" and data["boards"][0]["columns"][0]["label"] == "楼道党员认领率"
    towns = admin.get("/api/v1/stats/towns/").json()["boards"]
    assert towns[0]["county"] == "德清县" and towns[0]["towns"] == 2
    assert [r["name"] for r in towns[0]["rows"]] == ["舞阳街道", "武康街道"]
    assert [r["name"] for r in login("town2").get("/api/v1/stats/towns/").json()["boards"][0]["rows"]] == ["舞阳街道"]
    assert login("cadre").get("/screen/").status_code == 403
    assert login("cadre").get("/api/v1/stats/towns/").status_code == 403


def test_a_cadre_sees_this_quarters_tasks_by_source(login, users, county):
    from bole.assessment.models import TaskTally
    from bole.core import periods

    quarter = periods.of(timezone.localdate())
    TaskTally.objects.create(person=county["zhangsan"], period=quarter, completed=3, assigned=4)
    page = text(login("cadre").get("/"))
    assert "我的任务" in page and "3 / 4 · 75%" in page and "个人任务台账 3 / 4" in page
