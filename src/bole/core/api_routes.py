"""The core's API: the notification inbox and background jobs, under one router."""

from ninja import Router

from .jobs_api import router as jobs
from .notices_api import router as notices

router = Router()
router.add_router("/", notices)
router.add_router("/", jobs)
