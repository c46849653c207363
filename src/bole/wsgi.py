"""WSGI entry point for `bole serve`."""

import os

from django.core.wsgi import get_wsgi_application

from bole.core.datadir import private_umask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bole.settings")
private_umask()
application = get_wsgi_application()
