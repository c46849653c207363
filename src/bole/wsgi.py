"""WSGI entry point for `bole serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bole.settings")
application = get_wsgi_application()
