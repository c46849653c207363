"""What an English page may still show in Chinese: the records' own words. Shared by the fast (test client) and
the browser checks of the English interface."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Routes that are no page to read: the API, a language switch, sign-out, files (exports, templates, QR sheets).
NOT_PAGES = re.compile(r"^(api:|set_language$|logout$|.*-(export|template|qr-sheet|docx|xlsx|pdf)$)")


def _texts(value) -> list[str]:
    """The strings in a column's value: itself, or those inside a JSON list or object (an agenda, a quiz's
    options)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def data_words() -> list[str]:
    """Every Chinese string the records hold — people's, units', regions', enterprises' names, titles and texts
    typed by users — longest first, so a longer name is taken out before a shorter one inside it. Configuration
    that the interface translates (grade and group names, ledger categories) is not data and stays in."""
    from django.apps import apps
    from django.db import models

    translated = {("assessment", "result", "group"), ("assessment", "result", "grade"),
                  ("assessment", "gradedecision", "grade"), ("ledger", "pointcategory", "name")}
    words: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith(("bole.", "django.contrib.auth.")):
            continue
        label = (model._meta.app_label, model._meta.model_name)
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField)) and not f.choices
                  and (*label, f.name) not in translated]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in _texts(row):
                if HAN.search(value):
                    words.add(value.strip())
                    words.update(part.strip() for part in re.split(r"[\n\r]+", value) if HAN.search(part))
    return sorted(words, key=len, reverse=True)


def input_literals() -> list[str]:
    """Chinese the English catalogue quotes on purpose: the words a user types into Chinese inputs (a holiday
    notice's items, a sheet's 放假/上班 and 是/否, a 文号 prefix), each with its quotes, as the pages show them."""
    from pathlib import Path

    import polib

    import bole

    po = polib.pofile(str(Path(bole.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    out: set[str] = set()
    for entry in po.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            out.update(q for q in re.findall(r"“[^”]*”", text) if HAN.search(q))
    return sorted(out, key=len, reverse=True)


class Stripper:
    """Takes the data's words out of a page's text and returns what Chinese is left."""

    def __init__(self, words: list[str]):
        words = sorted({*words, *input_literals()}, key=len, reverse=True)
        self.words = words
        self.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def leftovers(self, text: str) -> list[str]:
        text = re.sub(r"[ \t]+", " ", text)
        if self.pattern is not None:
            text = self.pattern.sub("", text)
        out = []
        for line in text.splitlines():
            if HAN.search(line):
                m = HAN.search(line)
                out.append(line[max(0, m.start() - 30): m.start() + 50].strip())
        return out


def route_of(path: str, not_pages=NOT_PAGES) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if not_pages.match(match.view_name or ""):
        return None
    return match.route


def links(html: str) -> list[str]:
    out = []
    for href in re.findall(r'<a[^>]+href="([^"]+)"', html):
        target = urlsplit(href)
        if href.startswith("/") and not target.query and not target.fragment:
            out.append(target.path)
    return out
