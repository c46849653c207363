"""No page lists a register in a select: every page a role reaches renders at most 200 <option>s.

The county here holds more units and party members than that, so a ModelChoiceField over either on any page
reached by links (or on the form pages named below) fails the test.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db

MAX_OPTIONS = 200
CROWD = 210  # more units and more party members than a page may list
SKIP = re.compile(r"(export|\.xlsx|/logout|/q/|/f/|/b/|qr|print|/api/|/static/|/media/|/attachments/|/pick/|"
                  r"template|/reveal)")
PER_SHAPE = 2  # pages per URL shape (ids replaced), enough to reach each kind of page in each state
PER_ROLE = 160


def option_count(response) -> int:
    """How many <option> elements a page renders."""
    return response.content.decode().count("<option")


@pytest.fixture
def crowded(county, users):
    """The test county with 210 more units and 210 party members in 武康街道, a home branch, cases in each
    form-bearing state, an evaluation, a ledger category: every form page has something to choose from."""
    import datetime as dt

    from bole.cases.choices import Action
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit, case_transition, task_decline
    from bole.community import services as community
    from bole.evaluation.services import evaluation_create
    from bole.ledger.services import point_category_create
    from bole.org import services as org
    from bole.org.models import Person, Unit
    from bole.org.validators import id_check_char

    admin = users["admin"]
    for i in range(CROWD):
        unit = org.unit_create(actor=None, name=f"武康街道第{i}网格", kind="institution", region=county["t1"],
                               parent=county["u1"])
        first = f"33052119900101{i:03d}"
        org.person_create(actor=None, name=f"党员{i}", id_number=first + id_check_char(first), unit=unit,
                          is_party_member=True)
    assert Unit.objects.count() > MAX_OPTIONS and Person.objects.filter(is_party_member=True).count() > MAX_OPTIONS

    desks = desks_ensure(actor=admin)
    branch = community.branch_create(name="五四村阳光花园家园支部", community=county["v1"], unit=county["u1v"],
                                     actor=admin)
    for k in range(3):
        community.stairwell_create(branch=branch, compound="阳光花园", building=str(k + 1), entrance="1", actor=admin)
    catchall = desks["catchall"]
    category = catchall.categories.first()

    def submit(title):
        return case_submit(desk=catchall, category=category, title=title, description=f"{title}，多年无人管。",
                           submitter_kind="enterprise", submitter_enterprise=county["e1"], actor=users["ent"])

    case_transition(case=submit("道路破损"), action=Action.ACCEPT, actor=admin)  # the assign form
    assigned = case_transition(case=submit("排水不畅"), action=Action.ACCEPT, actor=admin)
    assigned = case_transition(case=assigned, action=Action.ASSIGN, actor=admin, lead_unit=county["u1"],
                               co_units=[{"unit": county["u2"], "description": "协助", "deadline_days": 3}])
    task_decline(task=assigned.tasks.get(), reason="不在本街道辖区", actor=users["town2"])  # the reassign form
    evaluation_create(actor=admin, name="年度测评", kind="ballot", unit=county["u1"])
    point_category_create(actor=None, code="task", name="揭榜挂帅", cap_period="quarter")
    return {"branch": branch, "catchall": catchall, "case": assigned, "date": dt.date(2024, 3, 4)}


def _crawl(client, starts: list[str]) -> dict[str, int]:
    """Pages reached from `starts` by following links: url → number of <option>s."""
    seen: dict[str, int] = {}
    shapes: dict[str, int] = {}
    queue = list(starts)
    while queue and len(seen) < PER_ROLE:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(url).path)
        if url in seen or SKIP.search(url) or shapes.get(shape, 0) >= PER_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        seen[url] = option_count(response) if response.status_code == 200 else 0
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            href = href.replace("&amp;", "&")
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("who", ["admin", "town1", "unit1v", "cadre", "ent"])
def test_no_page_renders_more_than_200_options(login, crowded, who):
    c = login(who)
    case, branch, desk = crowded["case"], crowded["branch"], crowded["catchall"]
    forms = ["/", "/ledger/new/", "/cases/desks/new/", f"/cases/desks/{desk.pk}/edit/", f"/cases/{case.pk}/",
             f"/cases/{case.pk}/meeting/", f"/community/{branch.pk}/",
             f"/community/stairwells/{branch.stairwells.first().pk}/adopt/", "/evaluation/new/", "/challenges/new/",
             "/projects/new/", "/people/new/", "/units/new/", "/enterprises/new/"]
    pages = _crawl(c, forms)
    crowded_pages = {url: n for url, n in pages.items() if n > MAX_OPTIONS}
    assert not crowded_pages, crowded_pages
    assert len(pages) > 10  # the walk went somewhere


def test_the_walk_reaches_the_form_pages_it_guards(login, crowded):
    """As the county admin, the form pages with pickers render (200) and are counted."""
    c = login("admin")
    case, branch = crowded["case"], crowded["branch"]
    for url in ["/ledger/new/", f"/cases/desks/{crowded['catchall'].pk}/edit/", f"/cases/{case.pk}/",
                f"/cases/{case.pk}/meeting/", f"/community/{branch.pk}/",
                f"/community/stairwells/{branch.stairwells.first().pk}/adopt/", "/evaluation/new/",
                "/challenges/new/", "/projects/new/"]:
        response = c.get(url)
        assert response.status_code == 200, url
        assert option_count(response) <= MAX_OPTIONS, url
