"""Template tags of the whole site."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(choices, selected="") -> str:
    """`<option>` elements for (value, label) pairs, the one equal to `selected` (compared as text) selected.

    A filter form's selects in one pass: as a loop in the template, each option costs a handful of nodes, and
    the busiest list pages carry dozens of them.
    """
    chosen = "" if selected is None else str(selected)
    out = []
    for value, label in choices:
        v = escape(str(value))
        out.append(f'<option value="{v}"{" selected" if str(value) == chosen else ""}>{escape(str(label))}</option>')
    return mark_safe("".join(out))  # noqa: S308 - every value and label is escaped above
