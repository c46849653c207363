"""The seed articles' figures, read from `GET /api/v1/stats/` over the demo city as each county's admin sees them:
every number counted from the records the demo wrote, in the county it belongs to (the talent pool is seeded at
1/100 of 德清县's 16.3万 at scale 1; `--scale 100` gives the whole pool)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(username: str) -> dict[str, float]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/api/v1/stats/")
    assert response.status_code == 200
    return {f["key"]: f["value"] for team in response.json()["teams"] for m in team["mechanisms"]
            for f in m["figures"]}


def test_the_seed_figures_come_from_the_records_of_each_county(demo_city):
    wuxing, deqing = _figures("wuxing"), _figures("deqing")
    # 吴兴区
    assert wuxing["contestants"] == 20  # 雄鹰擂台赛: 20 secretaries
    assert wuxing["challenge_holders"] == 21  # 21 cadres took challenges
    assert wuxing["training_sessions"] == 34 and wuxing["training_attendances"] == 18000
    assert wuxing["red_creators"] == 126
    assert wuxing["creator_households"] >= 1000 and wuxing["households_up_30k"] >= 1000
    assert wuxing["household_income_change"] > 30000
    assert (wuxing["indicators_before"], wuxing["indicators"]) == (18, 7)
    assert wuxing["major_projects"] == 131 and wuxing["major_investment_yi"] > 1000
    # 德清县
    assert deqing["catchall_problems"] == deqing["catchall_resolved"] == 65
    assert deqing["catchall_coordinations"] >= 90
    assert deqing["project_leaders"] == 646 and deqing["key_projects"] == 1273
    assert deqing["difficulties_solved"] >= 2300
    assert deqing["home_branches"] == 45 and deqing["stairwells_adopted"] == 2300
    assert deqing["requests"] >= 17000 and deqing["committees"] >= 30 and deqing["governance_issues"] >= 500
    assert deqing["villages_pilot_operating_income"] == 169 and deqing["villages_projected_under_target"] == 0
    assert deqing["villages_with_operation_teams"] == 4
    assert (deqing["pairing_professors"], deqing["pairing_enterprises"]) == (56, 68)
    assert deqing["pairing_solved"] >= 200
    assert 90 <= deqing["startup_projects"] <= 110  # about 100 master's-and-above startup projects
    assert deqing["talents"] > 0
    # each county's mechanisms stay in their county
    assert deqing["contestants"] == 0 and deqing["training_sessions"] == 0
    assert wuxing["catchall_problems"] == 0 and wuxing["pairing_solved"] == 0


def test_a_countys_alerts_count_its_own_records(demo_city):
    from bole.core import plugins

    def alerts(username):
        user = get_user_model().objects.get(username=username)
        return {str(a["label"]): a["count"] for a in plugins.tiles("alerts", user)}

    wuxing, deqing = alerts("wuxing"), alerts("deqing")
    assert "揭榜节点逾期" not in deqing  # 揭榜挂帅 runs in 吴兴区: nothing of it is 德清县's alert (a 0 is left out)
    assert deqing.get("重点项目亮红灯", 0) > 0 and wuxing.get("揭榜节点逾期", 0) > 0
