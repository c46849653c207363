"""Who sees which case; the private link; attachments (magic bytes, size, random names); duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from bole.cases import selectors
from bole.cases.choices import Action
from bole.cases.services import case_find_duplicates, case_transition

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _assigned(new_case, users, county, unit="u1", **kw):
    case = case_transition(case=new_case(**kw), action=Action.ACCEPT, actor=users["admin"])
    return case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county[unit])


def test_unit_sees_only_cases_assigned_to_it(new_case, users, county):
    mine = _assigned(new_case, users, county, "u1v")
    other = _assigned(new_case, users, county, "u2", title="舞阳的问题", description="另一个街道的问题")
    unassigned = new_case(title="待受理", description="还没交办")
    assert set(selectors.case_list(user=users["unit1v"])) == {mine}
    assert set(selectors.case_list(user=users["town1"])) == {mine}  # region scope includes its village
    assert set(selectors.case_list(user=users["town2"])) == {other}
    assert set(selectors.case_list(user=users["admin"])) >= {mine, other, unassigned}
    with pytest.raises(Http404):
        selectors.case_get(user=users["town2"], pk=mine.pk)


def test_co_unit_sees_case_of_its_sub_task(new_case, users, county):
    case = case_transition(case=new_case(), action=Action.ACCEPT, actor=users["admin"])
    case = case_transition(case=case, action=Action.ASSIGN, actor=users["admin"], lead_unit=county["u1"],
                           co_units=[{"unit": county["u2"], "description": "配合", "deadline_days": 2}])
    assert case in selectors.case_list(user=users["town2"])


def test_enterprise_sees_only_its_own(new_case, users, county):
    from bole.cases.services import case_submit

    own = new_case()
    theirs = case_submit(desk=own.desk, title="别家的问题", description="x", submitter_kind="enterprise",
                         submitter_enterprise=county["e2"], actor=None)
    assert set(selectors.case_list(user=users["ent"])) == {own}
    assert theirs not in selectors.case_list(user=users["ent"])


def test_private_link_opens_only_its_own_case(client, new_case):
    a, b = new_case(), new_case(title="第二件", description="另一件事")
    resp = client.get(f"/f/{a.follow_token}/")
    assert resp.status_code == 200 and a.title in resp.content.decode() and b.title not in resp.content.decode()
    assert client.get(f"/f/{a.follow_token[:-2]}xx/").status_code == 404
    assert client.get(f"/cases/{a.pk}/").status_code == 302  # staff page needs a login


def test_attachment_checks_magic_bytes_and_stores_random_name(new_case, users, media):
    from bole.cases.services import attachment_add

    case = new_case()
    att = attachment_add(case=case, uploads=[SimpleUploadedFile("现场.png", PNG, "image/png")], actor=users["ent"])[0]
    assert att.content_type == "image/png" and att.original_name == "现场.png"
    stored = Path(att.file.path)
    assert stored.is_relative_to(Path(media)) and "现场" not in stored.name and stored.suffix == ".png"
    with pytest.raises(ValidationError):  # an HTML file renamed to .png
        attachment_add(case=case, uploads=[SimpleUploadedFile("x.png", b"<html><script>", "image/png")],
                       actor=users["ent"])
    with pytest.raises(ValidationError):  # too big
        attachment_add(case=case, uploads=[SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024),
                                                              "application/pdf")], actor=users["ent"])
    assert case.attachments.count() == 1


def test_attachment_download_is_scoped(client, login, new_case, users, county):
    from bole.cases.services import attachment_add

    case = new_case()
    att = attachment_add(case=case, uploads=[io.BytesIO(PDF)], actor=users["ent"])[0]
    assert client.get(f"/cases/attachments/{att.pk}/").status_code == 404
    assert client.get(f"/cases/attachments/{att.pk}/?t={case.follow_token}").status_code == 200
    assert login("town2").get(f"/cases/attachments/{att.pk}/").status_code == 404
    assert login("ent").get(f"/cases/attachments/{att.pk}/").status_code == 200


def test_duplicate_suggestions_same_submitter_similar_text(new_case, county, catchall):
    first = new_case()
    found = case_find_duplicates(desk=catchall, text="厂区门口道路破损，多年没人修，交通住建推诿",
                                 submitter_enterprise=county["e1"])
    assert [c for c, _ in found] == [first]
    assert not case_find_duplicates(desk=catchall, text="员工子女入学积分政策调整", submitter_enterprise=county["e1"])


def test_portal_submit_shows_duplicates_then_confirms(login, new_case, catchall):
    new_case()
    client = login("ent")
    cat = catchall.categories.get(name="职能交叉不好管")
    data = {"category": cat.pk, "title": "厂区门口道路破损", "description": "厂区门口道路破损多年无人维修，交通住建推诿"}
    resp = client.post("/portal/new/catchall/", data)
    assert resp.status_code == 200 and "相似" in resp.content.decode()
    assert catchall.cases.count() == 1
    resp = client.post("/portal/new/catchall/", {**data, "confirm": "1"})
    assert resp.status_code == 302 and catchall.cases.count() == 2
