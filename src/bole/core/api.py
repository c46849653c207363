"""API plumbing shared by every app: bearer tokens, errors, pagination."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, django_auth

from .tokens import api_token_issue, api_token_user


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
    """A page of a queryset plus the counts a client needs."""
    page_size = max(1, min(page_size, 500))
    page = max(1, page)
    total = qs.count()
    start = (page - 1) * page_size
    return total, page, page_size, list(qs[start : start + page_size])


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
