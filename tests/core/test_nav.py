"""The menu: grouped by the three teams, then the registers and the system pages; each role sees only what it can use."""

import re

import pytest

from bole.org.services import account_create


def menu(client) -> list[tuple[str, list[str]]]:
    """(group, [entries]) of the menu on the home page; a lone entry appears as ("", [entry])."""
    html = client.get("/").content.decode()
    nav = re.search(r'<ul class="mainnav">(.*?)</ul>\s*<ul class="usernav">', html, re.S).group(1)
    out = []
    for m in re.finditer(r'<li class="(navgroup|navitem)">(.*?)</li>(?=<li class="nav|\s*$)', nav, re.S):
        if m.group(1) == "navitem":
            out.append(("", [re.sub(r"<[^>]+>", "", m.group(2))]))
        else:
            group = re.search(r"<summary>(.*?)</summary>", m.group(2)).group(1)
            out.append((group, re.findall(r"<a [^>]*>(.*?)</a>", m.group(2))))
    return out


def labels(entries) -> list[str]:
    return [e for _group, items in entries for e in items]


@pytest.mark.django_db
def test_county_admin_sees_the_groups_in_order(login):
    entries = menu(login("admin"))
    assert [g for g, _ in entries] == ["干部队伍", "基层治理", "人才队伍", "名册", "系统"]
    assert dict(entries)["人才队伍"][:2] == ["人才库", "人才全生命周期"]
    assert {"政策与人才券", "产学研"} <= set(dict(entries)["人才队伍"])
    cadres = dict(entries)["干部队伍"]
    assert cadres[:3] == ["奔跑赶超考核", "积分", "测评与赛事"]
    assert "审计日志" in dict(entries)["系统"] and "工作日历" in dict(entries)["系统"]
    assert "审计日志" not in dict(entries)["名册"]


@pytest.mark.django_db
def test_an_enterprise_sees_only_its_own_pages(login):
    names = labels(menu(login("ent")))
    assert set(names) == {"我的诉求", "企业", "政策与人才券", "使用指南", "产学研"}


@pytest.mark.django_db
def test_a_town_admin_has_no_county_configuration(login):
    names = labels(menu(login("town1")))
    assert "人员" in names and "测评与赛事" in names
    assert not {"审计日志", "工作日历", "受理台"} & set(names)


@pytest.mark.django_db
def test_a_judge_sees_the_scoring_page_not_the_cadre_mechanisms(client, county):
    judge = account_create(username="judge", role="judge", scope=county["wangwu"].id_number, password="pass-1234-word",
                           actor=None)
    client.force_login(judge)
    names = labels(menu(client))
    assert "评委打分" in names
    assert not {"奔跑赶超考核", "积分", "重点项目", "担当之星", "人员", "组织树"} & set(names)


@pytest.mark.django_db
def test_a_cadre_sees_the_mechanisms_not_the_registers(login):
    names = labels(menu(login("cadre")))
    assert {"奔跑赶超考核", "积分"} <= set(names)
    assert not {"组织树", "人员", "单位", "审计日志", "后台任务"} & set(names)


@pytest.mark.django_db
def test_the_county_comparison_is_on_the_menu_of_a_scope_with_several_counties(client, county):
    client.force_login(account_create(username="a2", role="admin", password="pass-1234-word", actor=None))
    assert "区县对比" in labels(menu(client))
    client.force_login(account_create(username="t9", role="unit_admin", scope="330521", password="pass-1234-word",
                                      actor=None))
    assert "区县对比" not in labels(menu(client))
