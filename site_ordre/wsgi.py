"""WSGI entry point: `gunicorn site_ordre.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_ordre.settings")

django_application = get_wsgi_application()

from ops.cache.fast import PageCacheFastPath  # noqa: E402 - needs the settings and apps loaded above

# Page-cache hits are answered before Django's handler (ops/cache/fast.py); everything else reaches it.
application = PageCacheFastPath(django_application)
