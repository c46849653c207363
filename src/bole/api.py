"""The REST API (/api/v1/): one NinjaAPI, the router each app's AppConfig declares (`api`); OpenAPI 3 at
/api/v1/openapi.json."""

from bole.core import plugins
from bole.core.api import build_api

api = build_api()
for _router in plugins.routers():
    api.add_router("/", _router)
