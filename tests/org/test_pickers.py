"""Search-as-you-type pickers: the search answers only within scope, the field rejects ids outside it."""

from __future__ import annotations

import pytest
from django import forms

from bole.org.pickers import PickField, PickMultipleField, bind_pickers


class _Form(forms.Form):
    person = PickField("people", label="人员")
    members = PickMultipleField("people", label="成员", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


def _names(resp) -> str:
    assert resp.status_code == 200
    return resp.content.decode()


def test_search_by_initials_and_pinyin_stays_in_scope(login):
    c = login("town1")  # 武康街道: 张三, 李四
    assert "张三" in _names(c.get("/pick/people/?q=zs"))
    assert "李四" in _names(c.get("/pick/people/?q=lisi"))
    assert "王五" not in _names(c.get("/pick/people/?q=ww"))  # 舞阳街道's, not town1's
    assert "王五" not in _names(c.get("/pick/people/?q=王"))
    c = login("admin")
    assert "王五" in _names(c.get("/pick/people/?q=ww"))


def test_search_reads_the_text_box_of_the_field(login):
    """HTMX sends the text box under its own name, `<field>_q`."""
    c = login("town2")
    page = _names(c.get("/pick/people/?members_q=ww"))
    assert "王五" in page and 'data-id="' in page
    assert "没有找到" in _names(c.get("/pick/people/?members_q=zs"))


def test_staff_pickers_refuse_a_cadre(login):
    """A cadre picks only where a cadre's page needs it (colleagues for a challenge team, by name)."""
    c = login("cadre")
    assert c.get("/pick/people/?q=z").status_code == 403
    assert c.get("/pick/units/?q=w").status_code == 403
    assert "李四" in _names(c.get("/pick/county-people/?q=l"))


def test_search_needs_login_and_a_known_source(client, login):
    assert client.get("/pick/people/?q=zs").status_code == 302
    assert login("admin").get("/pick/nobody/?q=zs").status_code == 404


def test_search_units(login):
    c = login("town1")
    page = _names(c.get("/pick/units/?q=wsc"))
    assert "五四村村委会" in page
    assert "塔山" not in _names(c.get("/pick/units/?q=ts"))


def test_posted_id_outside_scope_is_rejected(users, county):
    form = _Form({"person": county["wangwu"].pk}, user=users["town1"])
    assert not form.is_valid()
    assert "不在您的管辖范围内" in form.errors["person"][0]
    form = _Form(
        {"person": county["lisi"].pk, "members": [county["zhangsan"].pk, county["zhaoliu"].pk]},
        user=users["town1"],
    )
    assert not form.is_valid()
    assert "不在您的管辖范围内" in form.errors["members"][0]


def test_inactive_person_cannot_be_picked(users, county):
    from bole.org.services import person_set_active

    person_set_active(person=county["lisi"], active=False, actor=None)
    form = _Form({"person": county["lisi"].pk}, user=users["town1"])
    assert not form.is_valid()


def test_typed_text_is_resolved_on_the_server(users, county):
    """Without JavaScript the picker is a text box: a name, pinyin or initials naming one person will do."""
    form = _Form({"person_q": "李四", "members_q": "zs、lisi"}, user=users["town1"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == county["lisi"]
    assert set(form.cleaned_data["members"]) == {county["zhangsan"], county["lisi"]}


def test_typed_text_beats_a_stale_choice(users, county):
    form = _Form({"person": county["zhangsan"].pk, "person_q": "lisi"}, user=users["town1"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == county["lisi"]


@pytest.mark.parametrize("typed", ["王五", "nobody"])
def test_typed_text_outside_scope_names_nobody(users, typed):
    form = _Form({"person_q": typed}, user=users["town1"])
    assert not form.is_valid()
    assert f"找不到“{typed}”" in form.errors["person"][0]


def test_typed_text_naming_several_asks_to_choose(users, county):
    import datetime as dt
    import random

    from bole.org import services
    from bole.org.demo import make_id_number

    idn = make_id_number(random.Random(3), "330521", dt.date(1986, 5, 4), False)
    services.person_create(actor=None, name="张珊", id_number=idn, unit=county["u1"])
    form = _Form({"person_q": "zs"}, user=users["town1"])
    assert not form.is_valid()
    msg = form.errors["person"][0]
    assert "张三" in msg and "张珊" in msg
    form = _Form({"person_q": "张三"}, user=users["town1"])  # an exact name wins over a prefix
    assert form.is_valid(), form.errors


def test_widget_renders_choice_and_text_box(users, county):
    html = str(_Form({"person": county["lisi"].pk, "members_q": "zs"}, user=users["town1"])["person"])
    assert 'name="person_q"' in html and f'value="{county["lisi"].pk}"' in html and "李四" in html
    assert 'hx-get="/pick/people/"' in html
    html = str(_Form({"person": county["wangwu"].pk}, user=users["town1"])["person"])
    assert "王五" not in html  # an id outside scope is not even echoed back with its name


def test_narrower_source_offers_only_section_leaders(login):
    c = login("town1")
    assert "张三" in _names(c.get("/pick/section-leaders/?q=zs"))
    assert "李四" not in _names(c.get("/pick/section-leaders/?q=ls"))  # in scope, but not a section leader
