"""使用指南: every guide renders for every role (and the resident's without a login), the index puts the user's own
guides first, each guide shows exactly the screenshots it declares, and every screenshot is in static/help/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from bole.help.guides import GUIDES, TOPICS, by_slug, shots_by_name

STATIC = Path(__file__).resolve().parents[2] / "src" / "bole" / "static"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bole" / "templates"
PAGES = (*GUIDES, *TOPICS)


@pytest.fixture
def logins(users, county):
    from bole.org.services import account_create

    pw = "pass-1234-word"
    return {
        **users,
        "countyregion": account_create(username="cr", role="unit_admin", scope="330521", password=pw, actor=None),
        "dept": account_create(username="dept", role="unit_admin", scope="县委组织部", password=pw, actor=None),
        "judge": account_create(username="judge", role="judge", scope=county["qianqi"].id_number, password=pw,
                                actor=None),
    }


# The guides the index lists first for each login of the fixtures.
OWN = {
    "admin": ["county"],
    "countyregion": ["county"],
    "town1": ["town"],
    "unit1v": ["unit"],
    "dept": ["unit"],
    "cadre": ["cadre", "party"],
    "judge": ["judge"],
    "ent": ["enterprise"],
}


@pytest.mark.parametrize("name", sorted(OWN))
def test_every_guide_renders_for_every_role(client, logins, name):
    client.force_login(logins[name])
    for page in PAGES:
        resp = client.get(reverse("help-guide", args=[page.slug]))
        assert resp.status_code == 200, (name, page.slug)
        assert str(page.title) in resp.content.decode()


@pytest.mark.parametrize("name", sorted(OWN))
def test_index_lists_the_users_own_guides_first(client, logins, name):
    client.force_login(logins[name])
    resp = client.get(reverse("help-index"))
    assert resp.status_code == 200
    assert [g.slug for g in resp.context["own"]] == OWN[name]
    listed = [g.slug for g in (*resp.context["own"], *resp.context["others"])]
    assert sorted(listed) == sorted(g.slug for g in GUIDES)
    html = resp.content.decode()
    for page in PAGES:
        assert reverse("help-guide", args=[page.slug]) in html


def test_the_menu_has_the_guide_under_system(client, logins):
    client.force_login(logins["cadre"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("help-index") in html


def test_the_residents_guide_needs_no_login_and_the_others_do(client, db):
    assert client.get(reverse("help-guide", args=["resident"])).status_code == 200
    for page in PAGES:
        if not page.public:
            resp = client.get(reverse("help-guide", args=[page.slug]))
            assert resp.status_code == 302 and "/login/" in resp["Location"], page.slug
    assert "/login/" in client.get(reverse("help-index"))["Location"]
    assert client.get("/help/nobody/").status_code == 404


def test_the_qr_and_follow_pages_link_to_the_residents_guide():
    link = "{% url 'help-guide' 'resident' %}"
    for name in ("community/resident_form.html", "cases/follow.html"):
        assert link in (TEMPLATES / name).read_text(encoding="utf-8"), name


def test_each_guide_shows_the_shots_it_declares():
    """A template's {% shot %} names are its guide's list, each once; no shot belongs to two guides."""
    names = [s.name for g in PAGES for s in g.shots]
    assert len(names) == len(set(names))
    for page in PAGES:
        used = re.findall(r'{%\s*shot\s+"([\w-]+)"\s*%}', (TEMPLATES / page.template).read_text(encoding="utf-8"))
        assert sorted(used) == sorted(s.name for s in page.shots), page.slug


def test_every_screenshot_is_in_static():
    """The images are committed (a fresh install without internet shows them); tests/e2e/test_help_shots.py
    refreshes them. Small: a few hundred KB a guide at most."""
    for page in PAGES:
        sizes = []
        for s in page.shots:
            path = STATIC / s.path
            assert path.is_file(), s.path
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", s.path
            sizes.append(path.stat().st_size)
        assert sum(sizes) <= 400_000, (page.slug, sum(sizes))


def test_a_missing_image_leaves_its_caption(settings, tmp_path):
    from bole.help.templatetags import help as tags

    tags._present.cache_clear()
    settings.STATICFILES_DIRS = []
    settings.STATIC_ROOT = str(tmp_path)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(tags.finders, "find", lambda path: None)
            html = tags.shot("county-cockpit")
    finally:
        tags._present.cache_clear()
    assert "<img" not in html
    assert str(shots_by_name()["county-cockpit"].caption) in html
    assert "shot-missing" in html


def test_a_present_image_is_shown_with_its_caption():
    from bole.help.templatetags import help as tags

    html = tags.shot("judge-home")
    if (STATIC / by_slug()["judge"].shots[0].path).is_file():
        assert '<img src="/static/help/judge-home.png"' in html.replace("'", '"')
        assert "shot-phone" in html


def test_the_english_guides_have_no_chinese_outside_quoted_labels(client, logins, settings):
    """In English a guide names the English interface's menus and buttons; only a quoted label that stays Chinese
    on the English page (the language button's “中文”) may be Han."""
    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
    client.force_login(logins["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in PAGES:
        html = client.get(reverse("help-guide", args=[page.slug])).content.decode()
        article = html.split('<article class="guide">', 1)[1].split("</article>", 1)[0]
        text = re.sub(r"“[^”]*”", "", re.sub(r"<[^>]+>", " ", article))
        assert not han.search(text), (page.slug, han.findall(text)[:10])
    index = client.get(reverse("help-index")).content.decode()
    assert "User guide" in index
