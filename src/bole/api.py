"""The REST API (/api/v1/): one NinjaAPI, a router per app (`bole.<app>.api.router`); OpenAPI 3 at
/api/v1/openapi.json."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings

from bole.core.api import build_api

api = build_api()
api.add_router("/", import_module("bole.core.notices_api").router)
api.add_router("/", import_module("bole.core.jobs_api").router)
for _app in settings.BOLE_APPS:
    if find_spec(f"bole.{_app}.api"):
        api.add_router("/", import_module(f"bole.{_app}.api").router)
