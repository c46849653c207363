"""REST endpoints of the notification inbox: a login reads and marks only its own notices."""

import datetime as dt

from django.db.models import Q
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from .api import Pages
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


class NoticeEnvelope(Pages.Output):
    unread: int


class NoticePages(Pages):
    """The envelope with the caller's unread count beside the page."""

    Output = NoticeEnvelope

    def envelope_extra(self, request):
        return {"unread": unread_count(user=request.auth)}


class NoticeFilters(FilterSchema):
    unread: bool = False

    def filter_unread(self, value: bool):
        return Q(read_at__isnull=True) if value else Q()


@router.get("/notices/", response=list[NoticeOut])
@paginate(NoticePages)
def notices(request, filters: Query[NoticeFilters]):
    """The caller's notices, newest first (`unread=true` for the unread ones only); `unread` counts them all."""
    return filters.filter(notifications_for(user=request.auth)).order_by("-id")


@router.post("/notices/{notice_id}/read/", response=NoticeOut)
def read(request, notice_id: int):
    """Mark one of the caller's notices read (404 for anyone else's)."""
    return notification_mark_read(notification=notification_get(user=request.auth, pk=notice_id),
                                  user=request.auth)


class ReadAllOut(Schema):
    marked: int


@router.post("/notices/read-all/", response=ReadAllOut)
def read_all(request):
    return {"marked": notification_mark_all_read(user=request.auth)}
