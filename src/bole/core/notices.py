"""In-app notifications (站内通知) for every mechanism; texts to phones go through `bole.core.sms`.

A mechanism decides who must be told and what; this module stores it once per (recipient, record, event)
and serves each login its own inbox. Notifications are not audited:
they follow from writes that already wrote their audit rows, and reading one changes no record of the county.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation

from .db import fetch
from .models import Notification


@dataclass(frozen=True)
class Notice:
    """One notification to create: whom, about which record and event, what it says, where it points."""

    recipient_id: int
    object_type: str
    object_id: str
    event: str
    text: str
    link: str = ""


def site_language():
    """Notifications are written in the site language, whoever's request caused them."""
    return translation.override(settings.LANGUAGE_CODE)


@transaction.atomic
def notify(notices: Iterable[Notice], *, batch_size: int = 2000) -> int:
    """Store the notices that do not exist yet; returns how many were new (texts to phones are sent by the
    caller through bole.core.sms).

    Duplicates within the batch and against earlier runs are dropped, so callers can simply re-send.
    """
    wanted: dict[tuple, Notice] = {}
    for n in notices:
        wanted.setdefault((n.recipient_id, n.object_type, n.object_id, n.event), n)
    if not wanted:
        return 0
    items = list(wanted.items())
    new: list[Notice] = []
    for start in range(0, len(items), batch_size):
        chunk = items[start: start + batch_size]
        ids = {k[2] for k, _n in chunk}
        types = {k[1] for k, _n in chunk}
        events = {k[3] for k, _n in chunk}
        people = {k[0] for k, _n in chunk}
        seen = set(Notification.objects.filter(recipient_id__in=people, object_type__in=types, object_id__in=ids,
                                               event__in=events)
                   .values_list("recipient_id", "object_type", "object_id", "event"))
        new += [n for k, n in chunk if k not in seen]
    _insert_once(new, batch_size=batch_size)
    return len(new)


def _insert_once(new: list[Notice], *, batch_size: int) -> None:
    """Insert, skipping any row a concurrent sender has stored meanwhile (the unique constraint decides).

    PostgreSQL: COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING (a sweep may write
    tens of thousands of notices). Elsewhere: bulk_create with ignore_conflicts.
    """
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(recipient_id=n.recipient_id, object_type=n.object_type, object_id=n.object_id,
                          event=n.event, text=n.text[:300], link=n.link[:300]) for n in new],
            batch_size=batch_size, ignore_conflicts=True)
        return
    table = Notification._meta.db_table
    columns = "recipient_id, object_type, object_id, event, text, link, created_at"
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE notice_incoming ON COMMIT DROP AS SELECT {columns} FROM {table} "  # noqa: S608
                    "WITH NO DATA")
        with cur.cursor.copy(f"COPY notice_incoming ({columns}) FROM STDIN") as copy:
            for n in new:
                copy.write_row((n.recipient_id, n.object_type, n.object_id, n.event, n.text[:300], n.link[:300], now))
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM notice_incoming "  # noqa: S608
                    "ON CONFLICT DO NOTHING")
        cur.execute("DROP TABLE notice_incoming")


# --- reads and the recipient's own writes ----------------------------------------------------------


def notifications_for(*, user, unread_only: bool = False) -> QuerySet:
    """A login's own notifications, newest first; nobody reads anyone else's inbox."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, user, limit: int | None = None) -> int:
    """How many unread notices the user has; with `limit`, counting stops there (the bell shows 99+)."""
    if limit:  # the bell on every page: one prepared statement, answered by the partial unread index
        if user is None or not user.is_authenticated:
            return 0

        return fetch(f"SELECT count(*) FROM (SELECT 1 FROM {Notification._meta.db_table} WHERE recipient_id = %s "  # noqa: S608
                     f"AND read_at IS NULL LIMIT {int(limit)}) unread", [user.pk])[0][0]
    return notifications_for(user=user, unread_only=True).count()


def notification_get(*, user, pk) -> Notification:
    """One of the user's notifications; 404 for anyone else's (ids reveal nothing)."""
    try:
        return notifications_for(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (already-read ones keep their first read time)."""
    if notification.recipient_id != user.pk:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return notifications_for(user=user, unread_only=True).update(read_at=timezone.now())


def safe_link(link: str) -> str:
    """Only local paths are followed from a notification (no open redirect through a stored link)."""
    return link if link.startswith("/") and not link.startswith("//") else ""

