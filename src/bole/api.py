"""The REST API (/api/v1/): one NinjaAPI, a router per app; OpenAPI 3 at /api/v1/openapi.json."""

from bole.core.api import build_api
from bole.org.api import router as org_router

api = build_api()
api.add_router("/", org_router)
