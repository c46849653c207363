"""The English catalogue is complete, and pages render in English once the language is switched."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

import bole

PO = Path(bole.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
# %(name)s, %s, %d ... and %% in python-format messages; {0} / {name} in brace-format ones.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}")


def _placeholders(text: str, entry: polib.POEntry) -> Counter:
    if "python-format" in entry.flags or "python-brace-format" in entry.flags:
        return Counter(PLACEHOLDER.findall(text))
    return Counter()


def test_every_message_has_an_english_translation():
    po = polib.pofile(str(PO))
    problems = []
    for e in po:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags:
            problems.append(("fuzzy", e.msgid))
        if e.msgid_plural:
            forms = [e.msgstr_plural.get(i, "") for i in range(2)]
            if not all(f.strip() for f in forms):
                problems.append(("empty", e.msgid))
            for f in forms:
                if _placeholders(f, e) != _placeholders(e.msgid_plural, e):
                    problems.append(("placeholders", e.msgid))
        else:
            if not e.msgstr.strip():
                problems.append(("empty", e.msgid))
            elif _placeholders(e.msgstr, e) != _placeholders(e.msgid, e):
                problems.append(("placeholders", e.msgid))
    assert problems == []


def test_each_message_is_in_the_catalogue_once():
    """Two entries of one message (as a merge of two catalogues can leave) would make one of them dead text."""
    po = polib.pofile(str(PO))
    seen = Counter((e.msgctxt, e.msgid) for e in po if not e.obsolete)
    assert [m for m, n in seen.items() if n > 1] == []


def test_python_format_flag_where_placeholders_are():
    po = polib.pofile(str(PO))
    unflagged = [e.msgid for e in po if not e.obsolete and re.search(r"%\(\w+\)[sdif]", e.msgid)
                 and "python-format" not in e.flags]
    assert unflagged == []


@pytest.mark.parametrize(("url", "english", "chinese"), [
    ("/notices/", ["Notifications", "No notifications yet"], ["暂无通知"]),
    ("/cases/desks/new/", ["New intake desk", "Overdue escalation rules", "Problem categories and time limits"],
     ["新建受理台", "超期督办规则"]),
    ("/assessment/schemes/new/", ["New assessment scheme", "Add indicator", "Save scheme"],
     ["新建考核方案", "增加指标"]),
    ("/assessment/rounds/new/", ["New assessment round"], ["新建考核轮次"]),
])
def test_pages_in_english(login, url, english, chinese):
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    resp = c.get(url)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'lang="en"' in html
    for text in english:
        assert text in html
    for text in chinese:
        assert text not in html
