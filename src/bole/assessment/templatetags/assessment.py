"""Template filters of the points assessment."""

from __future__ import annotations

from django import template

from bole.assessment.compute import group_display

register = template.Library()


@register.filter
def group_label(group) -> str:
    """A ranking group's name in the page's language (正职 → Chiefs); a group no grouping produces shows as stored."""
    return group_display(group)
