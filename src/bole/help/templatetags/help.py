"""`{% shot "name" %}`: a guide's screenshot with its caption; without the image file, the caption alone."""

from __future__ import annotations

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html

from bole.help.guides import shots_by_name

register = template.Library()


@cache
def _present(path: str) -> bool:
    return bool(finders.find(path))


@register.simple_tag
def shot(name: str):
    """A figure with the screenshot and its caption (a phone's screenshot narrower), or the caption alone."""
    s = shots_by_name()[name]
    kind = "phone" if s.phone else "desktop"
    if not _present(s.path):
        return format_html('<figure class="shot shot-missing"><figcaption>{}</figcaption></figure>', s.caption)
    return format_html(
        '<figure class="shot shot-{}"><a href="{}"><img src="{}" alt="{}" loading="lazy"></a>'
        "<figcaption>{}</figcaption></figure>",
        kind, static(s.path), static(s.path), s.caption, s.caption,
    )
