"""REST endpoints of the notification inbox: a login reads and marks only its own notices."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from .api import Page, paginate
from .notices import (
    notification_get,
    notification_mark_all_read,
    notification_mark_read,
    notifications_for,
    safe_link,
    unread_count,
)

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    text: str
    link: str
    object_type: str
    object_id: str
    event: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_link(obj):
        return safe_link(obj.link)


class NoticePage(Page):
    unread: int
    results: list[NoticeOut]


class NoticeFilters(Schema):
    unread: bool = False
    page: int = 1
    page_size: int = 50


@router.get("/notices/", response=NoticePage)
def notices(request, filters: Query[NoticeFilters]):
    """The caller's notices, newest first (`unread=true` for the unread ones only)."""
    qs = notifications_for(user=request.user, unread_only=filters.unread).order_by("-id")
    count, page, size, rows = paginate(qs, filters.page, filters.page_size)
    return {"count": count, "page": page, "page_size": size, "unread": unread_count(user=request.user),
            "results": rows}


@router.post("/notices/{notice_id}/read/", response=NoticeOut)
def read(request, notice_id: int):
    """Mark one of the caller's notices read (404 for anyone else's)."""
    return notification_mark_read(notification=notification_get(user=request.user, pk=notice_id),
                                  user=request.user)


class ReadAllOut(Schema):
    marked: int


@router.post("/notices/read-all/", response=ReadAllOut)
def read_all(request):
    return {"marked": notification_mark_all_read(user=request.user)}
