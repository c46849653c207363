"""API plumbing shared by every app: bearer tokens, errors, pagination."""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, django_auth

from .params import MAX_PAGE, BadParameter
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


class Page(Schema):
    """Base of every paginated response; subclasses add `results`."""

    count: int
    page: int
    page_size: int


def paginate(qs, page: int, page_size: int):
    """A page of a queryset plus the counts a client needs; a page past the end is empty (and never asks the
    database for an offset beyond its rows)."""
    page_size = max(1, min(page_size, 500))
    page = max(1, min(page, MAX_PAGE))
    total = qs.count()
    start = (page - 1) * page_size
    if start >= total:
        return total, page, page_size, []
    return total, page, page_size, list(qs[start : start + page_size])


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

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, {"detail": "forbidden"}, status=403)

    @api.exception_handler(Http404)
    def _missing(request, exc):
        return api.create_response(request, {"detail": "not found"}, status=404)

    return api
