"""Personal data (PIPL): ID numbers and phones only through the logged reveal — not in pickers, searches, audit
rows or the database's own columns."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from bole.core.models import AuditEvent
from bole.core.registers import export_register, import_register
from bole.org import selectors, services
from bole.org.models import Person
from bole.org.registers import PEOPLE

PHONE = "13912345678"


def _sources() -> list[str]:
    from bole.core import plugins

    return sorted(plugins.pickers())


@pytest.fixture
def others(county):
    """A resident and a judge on the register, besides the enterprise of `users`."""
    from bole.org.services import account_create

    pw = "pass-1234-word"
    return {
        "resident": account_create(username="resident", role="resident", scope=county["zhaoliu"].id_number,
                                   password=pw, actor=None),
        "judge": account_create(username="judge", role="judge", scope=county["qianqi"].id_number, password=pw,
                                actor=None),
    }


def test_every_picker_refuses_enterprise_resident_and_judge(client, users, others, county):
    sources = _sources()
    assert {"people", "county-people", "units", "section-leaders", "young-cadres"} <= set(sources)
    tail = county["lisi"].id_tail
    for user in (users["ent"], others["resident"], others["judge"]):
        client.force_login(user)
        for name in sources:
            for q in ("li", tail):
                assert client.get(f"/pick/{name}/?q={q}").status_code == 403, (user, name)


def test_picker_fields_offer_nothing_to_those_refused(users, county):
    from django import forms

    from bole.org.pickers import PickField, bind_pickers

    class _Form(forms.Form):
        person = PickField("county-people")

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            bind_pickers(self, user)

    assert not _Form({"person": county["lisi"].pk}, user=users["ent"]).is_valid()
    assert _Form({"person": county["lisi"].pk}, user=users["cadre"]).is_valid()


def test_cadre_picks_colleagues_by_name_only(login, county):
    c = login("cadre")
    assert c.get("/pick/people/?q=li").status_code == 403  # staff's picker
    page = c.get("/pick/county-people/?q=lisi").content.decode()
    assert "李四" in page
    before = AuditEvent.objects.count()
    page = c.get(f"/pick/county-people/?q={county['lisi'].id_tail}").content.decode()
    assert "李四" not in page and "没有找到" in page
    assert AuditEvent.objects.count() == before


def test_county_wide_picker_does_not_search_identifiers_even_for_staff(login, county):
    c = login("admin")
    for q in (county["wangwu"].id_tail, county["wangwu"].id_number):
        assert "王五" not in c.get(f"/pick/county-people/?q={q}").content.decode()


def test_id_tail_search_without_view_sensitive_finds_nothing(users, county):
    everyone = Person.objects.all()
    lisi = county["lisi"]
    for user in (users["cadre"], users["ent"]):
        assert not selectors.person_identifier_search(everyone, lisi.id_tail, user=user).exists()
        assert not selectors.person_identifier_search(everyone, lisi.id_number, user=user).exists()
    # town2 may see its own people's data, not town1's.
    assert not selectors.person_identifier_search(everyone, lisi.id_tail, user=users["town2"]).exists()
    assert not AuditEvent.objects.filter(actor=users["ent"]).exists()
    # A cadre may see their own data: their searches are recorded, and found nobody else.
    assert [e.changes["matches"] for e in AuditEvent.objects.filter(action="view_sensitive", actor=users["cadre"])] \
        == [[], []]


def test_id_tail_search_with_view_sensitive_finds_and_is_audited(login, users, county):
    lisi = services.person_update(person=county["lisi"], actor=None, phone=PHONE)
    c = login("town1")
    for q in (lisi.id_tail, lisi.id_number, PHONE):
        before = AuditEvent.objects.filter(action="view_sensitive").count()
        page = c.get(f"/pick/people/?q={q}").content.decode()
        assert "李四" in page, q
        events = AuditEvent.objects.filter(action="view_sensitive", actor=users["town1"]).order_by("-id")
        assert events.count() == before + 1
        assert events[0].changes["matches"] == [lisi.pk]
        assert lisi.id_number not in json.dumps(events[0].changes) and PHONE not in json.dumps(events[0].changes)
    # The register's own search box too.
    assert "李四" in c.get(f"/people/?q={lisi.id_tail}").content.decode()
    assert AuditEvent.objects.filter(action="view_sensitive", actor=users["town1"]).count() == 4


def test_fragments_of_a_number_find_nobody(users, county):
    """The masked 3305**********661X cannot be completed a digit at a time."""
    wangwu = county["wangwu"]
    for n in (5, 6, 10, 14, 17):
        assert not selectors.person_find(Person.objects.all(), wangwu.id_number[-n:], user=users["admin"]).exists()


def test_history_tab_shows_masked_values_and_reveals_through_the_logged_action(login, county, users):
    person = services.person_create(actor=users["admin"], name="欧阳明", id_number=_idn(), unit=county["u1"],
                                    phone=PHONE)
    services.person_update(person=person, actor=users["admin"], phone="13800001111")
    c = login("town1")
    html = c.get(f"/people/{person.pk}/?tab=history").content.decode()
    assert person.id_number not in html and PHONE not in html and "13800001111" not in html
    assert person.id_masked in html and "139****5678" in html
    reveal = reverse("people-detail", args=[person.pk]) + "?reveal=id"
    assert reveal in html
    html = c.get(f"/people/{person.pk}/").content.decode()
    assert person.id_number not in html and "13800001111" not in html and "138****1111" in html
    html = c.get(reveal).content.decode()
    assert person.id_number in html and "13800001111" in html
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(person.pk), actor=users["town1"]).exists()


def test_edit_form_does_not_show_the_phone_and_keeps_it_when_left_empty(login, county):
    lisi = services.person_update(person=county["lisi"], actor=None, phone=PHONE)
    c = login("town1")
    html = c.get(f"/people/{lisi.pk}/edit/").content.decode()
    assert PHONE not in html and "139****5678" in html
    resp = c.post(f"/people/{lisi.pk}/edit/", {"name": "李四", "phone": "", "unit": county["u1v"].pk,
                                              "rank": "none", "political_status": "masses", "position": "会计"})
    assert resp.status_code == 302
    lisi.refresh_from_db()
    assert (lisi.phone, lisi.position) == (PHONE, "会计")


def test_enterprise_history_offers_no_reveal(login, county):
    html = login("admin").get(f"/enterprises/{county['e1'].pk}/?tab=history").content.decode()
    assert "reveal" not in html


def test_audit_rows_hold_no_full_id_number_or_phone(users, county):
    """Creates, updates, imports and account links: scan every stored audit row for the 18-digit values."""
    from tests.core.test_import_export import HEAD, xlsx

    person = services.person_create(actor=users["admin"], name="欧阳明", id_number=_idn(), unit=county["u1"],
                                    phone=PHONE)
    services.person_update(person=person, actor=users["admin"], phone="13800001111")
    services.account_create(username="oym", role="cadre", scope=person.id_number, actor=users["admin"])
    imported = _idn(7)
    report = import_register(register=PEOPLE, data=xlsx([HEAD, ["孙八", imported, "", "", "13700001234",
                                                                 "武康街道党工委", "", "", "", ""]]),
                             actor=users["admin"], dry_run=False)
    assert report.ok and report.created == 1
    stored = json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)), ensure_ascii=False)
    values = [p.id_number for p in Person.objects.all()] + [PHONE, "13800001111", "13700001234"]
    assert len(values) > 7
    for value in values:
        assert value not in stored
    assert person.id_masked in stored and "digest" not in stored


def test_database_columns_hold_no_clear_id_number_or_phone(users, county):
    services.person_update(person=county["lisi"], actor=None, phone=PHONE)
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, id_digest FROM org_person")
        rows = cur.fetchall()
    clear = {p.id_number for p in Person.objects.all()}
    assert len(rows) == len(clear) == 5
    for idn, phone, digest in rows:
        assert idn.startswith("v1:") and idn not in clear and not any(c in idn for c in clear)
        assert len(digest) == 32 and digest not in clear
        assert phone == "" or (phone.startswith("v1:") and PHONE not in phone)
    assert Person.objects.get(pk=county["lisi"].pk).phone == PHONE  # read back in clear


def test_encrypted_columns_refuse_comparisons(county):
    from django.core.exceptions import FieldError

    for lookup in ("id_number", "id_number__endswith", "phone__contains", "id_number__in"):
        value = ["x"] if lookup.endswith("__in") else county["lisi"].id_number
        with pytest.raises(FieldError):
            list(Person.objects.filter(**{lookup: value}))
    assert Person.objects.filter(phone="").count() == 5  # blank stays blank


def test_lookups_by_id_number_still_work(users, county):
    lisi = county["lisi"]
    assert services.account_create(username="ls", role="cadre", scope=lisi.id_number.lower(),
                                   actor=None).account.person == lisi
    with pytest.raises(Exception, match="已在册"):
        services.person_create(actor=None, name="李四二", id_number=lisi.id_number, unit=county["u1"])


def test_export_import_round_trip_with_encryption(users, county):
    services.person_update(person=county["lisi"], actor=None, phone=PHONE)
    data = export_register(register=PEOPLE, queryset=Person.objects.order_by("id"), actor=users["admin"])
    report = import_register(register=PEOPLE, data=data, actor=users["admin"], dry_run=False, update=True)
    assert report.ok and report.created == 0 and report.updated == 0 and report.unchanged == 5
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    cells = {str(c.value) for row in ws.iter_rows() for c in row}
    assert county["lisi"].id_number in cells and PHONE in cells  # the full values, for a role that may see them
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.changes["full_ids"] is True


def _idn(seq: int = 3) -> str:
    from bole.org.validators import id_check_char

    first = f"33052119900308{seq:03d}"
    return first + id_check_char(first)
