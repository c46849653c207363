"""API plumbing shared by every app: bearer tokens, errors, the list envelope (pagination)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    BadRequest,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, django_auth

from .params import BadParameter
from .tokens import api_token_issue, api_token_user

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a token issued on 我的账号 or by `bole token NAME` (core.tokens)."""

    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


def token_issue(*, user) -> str:
    """A token with the default expiry, issued from the shell or a test (no acting user); the raw value."""
    return api_token_issue(user=user, actor=None)[1]


def docs_login_required(view):
    """The API's docs and schema are for signed-in users and token holders: the docs page sends anyone else
    to the login page, the schema answers 401."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and api_token_user(header[7:].strip()) is not None:
            return view(request, *args, **kwargs)
        if request.resolver_match and request.resolver_match.url_name == "openapi-json":
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapped


MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


class Pages(PaginationBase):
    """The one envelope of every list endpoint: ``{"count", "page", "next", "previous", "items"}``.

    ``page`` (from 1) and ``page_size`` (1 to 500, default 50) are query parameters; a page size outside the
    bounds is refused (400), never cut. ``next`` and ``previous`` are absolute-path URLs of the neighbouring pages
    keeping the request's other parameters, or null; a page past the end is empty, its ``previous`` the last page.
    Use it as ``@router.get(..., response=list[ThingOut])`` + ``@paginate(Pages)`` on a handler that returns a
    queryset (ordered) or a list; ``prepare`` (a keyword of ``paginate``) gets the page's rows before they are
    rendered, to decorate them in one query for the page.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, description="page number, from 1")
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="rows per page (at most 500)")

    class Output(Schema):
        count: int
        page: int
        next: str | None
        previous: str | None
        items: list[Any]

    items_attribute = "items"

    def __init__(self, *, prepare: Callable[[list], Any] | None = None, **kwargs: Any) -> None:
        self.prepare = prepare
        super().__init__(**kwargs)

    def envelope_extra(self, request) -> dict[str, Any]:
        """Fields a subclass adds to the envelope (declared on its Output)."""
        return {}

    def paginate_queryset(self, queryset, pagination, request, **params):
        page, size = pagination.page, pagination.page_size
        total = self._items_count(queryset)
        start = (page - 1) * size
        # Never ask the database for an offset beyond its rows.
        items = list(queryset[start : start + size]) if start < total else []
        if items and self.prepare is not None:
            self.prepare(items)
        last = max(1, -(-total // size))
        return {
            "count": total,
            "page": page,
            "next": page_link(request, page + 1) if page < last else None,
            "previous": page_link(request, min(page - 1, last)) if page > 1 else None,
            **self.envelope_extra(request),
            "items": items,
        }


def page_link(request, page: int) -> str:
    """The request's path and query with another page number."""
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


class UnknownReference(Exception):
    """An id in a request body naming no record the caller may use: 422 on that field, never ``None``."""

    def __init__(self, field: str, message: str = ""):
        super().__init__(field)
        self.field = field
        self.message = message


def referenced(rows: QuerySet, pk, *, field: str, message: str = ""):
    """The record a body field names, among ``rows`` (already scoped: a selector's queryset, ``policy.restrict``,
    a picker source's ``rows(user)``); anything else is a 422 naming the field."""
    try:
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, TypeError, OverflowError):
        raise UnknownReference(field, str(message)) from None


def referenced_all(rows: QuerySet, pks, *, field: str, message: str = "") -> list:
    """Every record a list field names, in the order given; one unknown id makes the whole body a 422."""
    wanted = list(dict.fromkeys(pks))
    try:
        found = rows.in_bulk(wanted)
    except (ValueError, TypeError, OverflowError):
        found = {}
    if len(found) != len(wanted):
        raise UnknownReference(field, str(message))
    return [found[pk] for pk in wanted]


def _schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's validation errors as {field: [message]}, the field named by its place in the request."""
    out: dict[str, list[str]] = {}
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in {"body", "query", "path", "payload", "filters", "data"}]
        out.setdefault(".".join(loc) or "__all__", []).append(str(e.get("msg", "")))
    return out


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Bole 伯乐 API",
        version="1",
        description="Registers and mechanisms of the Bole platform. Authenticate with `Authorization: Bearer <token>`.",
        auth=[BearerToken(), django_auth],
        openapi_url="/openapi.json",
        docs_url="/docs",
        docs_decorator=docs_login_required,
        urls_namespace="api",
    )

    @api.exception_handler(SchemaError)
    def _schema(request, exc):
        # A parameter or body that does not match the schema is the client's error: 400, as everywhere.
        return api.create_response(
            request, {"detail": _("请求参数无效"), "errors": _schema_errors(exc.errors)}, status=400
        )

    @api.exception_handler(BadParameter)
    def _bad_parameter(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=400)

    @api.exception_handler(BadRequest)
    def _bad_request(request, exc):
        return api.create_response(request, {"detail": _("请求有误")}, status=400)

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        # A value the schema let through but the database cannot hold (a number or time beyond its range): the
        # client's input, refused. Logged, as the schema type that should have refused it is missing.
        logger.warning("API input refused by the database: %s %s: %s", request.method, request.path, exc)
        return api.create_response(request, {"detail": _("数据超出允许的范围")}, status=400)

    @api.exception_handler(ValidationError)
    def _validation(request, exc):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(request, {"detail": "invalid", "errors": detail}, status=400)

    @api.exception_handler(UnknownReference)
    def _unknown_reference(request, exc):
        message = exc.message or _("所选记录不存在或不在您的权限范围内")
        return api.create_response(request, {"detail": message, "errors": {exc.field: [message]}}, status=422)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, {"detail": "forbidden"}, status=403)

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return api.create_response(request, {"detail": "not found"}, status=404)

    return api
