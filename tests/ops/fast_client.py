"""A test client whose GETs go through the page cache's fast path first (ops/cache/fast.py), as
gunicorn's do through site_ordre.wsgi: a hit never enters Django's handler; anything else does."""

from django.test import Client
from django.test.client import ClientHandler

from ops.cache.fast import cached_hit


class FastPathClientHandler(ClientHandler):
    def __call__(self, environ):
        hit = cached_hit(environ)
        if hit is None:
            response = super().__call__(environ)
            response.served_fast = False
            return response
        request, response = hit
        response.wsgi_request, response.served_fast = request, True
        return response


class FastPathClient(Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handler = FastPathClientHandler(self.handler.enforce_csrf_checks)
