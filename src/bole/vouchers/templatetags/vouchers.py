"""Money on the voucher pages: fen shown as 元 with two decimals."""

from django import template

from ..services.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """12345 → 123.45"""
    try:
        return _yuan(int(fen or 0))
    except (TypeError, ValueError):
        return ""
