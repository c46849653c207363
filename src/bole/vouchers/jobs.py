"""Periodic jobs of the vouchers: settlement of due transactions, expiry and "expiring soon" notices."""

from .services import redemptions_settle, vouchers_expire, vouchers_notify_expiring


def settle_due() -> dict:
    """Settle every pending transaction whose settlement day has come (idempotent)."""
    return {"settled": redemptions_settle()}


def expire_due() -> dict:
    """Expire vouchers past their last day and tell holders of those ending within a week (idempotent)."""
    return {"expired": vouchers_expire(), "notified": vouchers_notify_expiring()}
