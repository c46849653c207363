"""Every detail and form page opens with a way back to its list or parent record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bole" / "templates"

# Pages about one record, or a form reached from a list: each names where it came from.
DETAIL_PAGES = [
    "assessment/explain.html", "assessment/inputs.html", "assessment/ranking.html", "assessment/records.html",
    "assessment/round.html", "assessment/round_form.html", "assessment/scheme_form.html",
    "awards/nominate.html", "awards/person.html", "awards/round.html",
    "cases/detail.html", "cases/meeting_form.html",
    "challenges/detail.html", "challenges/form.html",
    "community/branch.html",
    "core/detail.html", "core/form.html", "core/import.html",
    "growth/form.html", "growth/record.html",
    "help/guide.html",
    "ledger/detail.html", "ledger/post.html",
    "projects/detail.html", "projects/form.html",
    "villages/import.html", "villages/score.html", "villages/target.html", "villages/village.html",
]

BACK = re.compile(r'<a href="\{% url [^>]*>\s*[‹←]')


@pytest.mark.parametrize("name", DETAIL_PAGES)
def test_a_detail_page_links_back_before_its_content(name):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    content = source.split("{% block content %}", 1)[1]
    match = BACK.search(content)
    assert match, f"{name} has no back link"
    assert "<h2" not in content[: match.start()], f"{name}: the back link sits below the title"
