"""Register pages render for each role and keep a flat query count as lists grow."""

import pytest

from bole.org import services


@pytest.mark.parametrize("url", ["/", "/tree/", "/people/", "/units/", "/enterprises/", "/regions/",
                                 "/people/?q=zs", "/people/?flag=section_leader", "/people/?sort=-birth_date",
                                 "/people/new/", "/people/import/"])
def test_admin_pages_render_in_chinese(login, url):
    resp = login("admin").get(url)
    assert resp.status_code == 200
    assert "伯乐" in resp.content.decode()


def test_list_page_query_count_does_not_grow_with_rows(login, county, django_assert_max_num_queries):
    c = login("admin")
    c.get("/people/")
    with django_assert_max_num_queries(12):
        c.get("/people/")
    for i in range(30):
        services.person_create(actor=None, name=f"测试{i}", id_number=_idn(i), unit=county["u1"])
    with django_assert_max_num_queries(12):
        c.get("/people/")


def _idn(i):
    from bole.org.validators import id_check_char

    first = f"33052119900101{i:03d}"
    return first + id_check_char(first)


def test_edit_form_saves_through_service_with_audit(login, county):
    from bole.core.models import AuditEvent

    c = login("town1")
    p = county["lisi"]
    resp = c.post(f"/people/{p.pk}/edit/", {"name": "李四", "phone": "13800001111", "unit": county["u1v"].pk,
                                            "rank": "none", "political_status": "masses", "position": "会计"})
    assert resp.status_code == 302
    ev = AuditEvent.objects.get(object_id=str(p.pk), action="update")
    assert ev.changes["position"] == ["", "会计"]


def test_reveal_full_id_is_logged_and_forbidden_for_enterprise(login, county):
    from bole.core.models import AuditEvent

    c = login("town1")
    p = county["lisi"]
    html = c.get(f"/people/{p.pk}/?reveal=id").content.decode()
    assert p.id_number in html
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(p.pk)).count() == 1
    html = c.get(f"/people/{p.pk}/").content.decode()
    assert p.id_number not in html


def test_language_switch_to_english(login):
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    resp = c.get("/people/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'lang="en"' in html and "Org tree" in html and "Export to Excel" in html


def test_forms_give_the_standards_messages(login, county):
    """The person and enterprise forms say which rule of GB/T 2260 or GB 32100 a value breaks."""
    from html import unescape

    from bole.org.validators import credit_check_char, id_check_char

    fake = "99042619911201007"
    fake += id_check_char(fake)
    code = "943305210MA2B3C4D"
    code += credit_check_char(code)
    c = login("admin")
    resp = c.post("/people/new/", {"name": "孙八", "id_number": fake, "unit": county["u1"].pk, "rank": "none",
                                   "political_status": "masses"})
    assert resp.status_code == 200
    assert "身份证号前6位 990426 不是有效的行政区划代码（GB/T 2260）" in unescape(resp.content.decode())
    resp = c.post("/enterprises/new/", {"name": "坏企业", "credit_code": code, "industry": "C",
                                        "region": county["v1"].pk})
    assert resp.status_code == 200
    assert "统一社会信用代码前2位 94 不是有效的登记管理部门和机构类别代码（GB 32100）" in unescape(resp.content.decode())
