"""Is the primary reachable, and the answer to a write while it is not (read-only mode).

When a request finds the primary unreachable, the failure is remembered for
DATABASE_PRIMARY_RETRY_SECONDS, in this process and in the shared cache, so that neither the
following requests nor the other nodes wait for a connection that cannot succeed. Meanwhile reads
go to the replica and every write is answered with the read-only page. Once the time is up, the
next write (or /healthz, which load balancers ask every second) tries the primary again: writes
resume by themselves when it is back, with no restart.
"""

import logging
import math
import socket
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)

DOWN_KEY = "site_ordre:primary_down_until"
SHARED_READ_EVERY_SECONDS = 1.0  # how often a process looks at what the others found
RETRY_AFTER_SECONDS = 30  # what the read-only answer tells browsers and clients
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The public forms' free text (a comment's body, a contact message): given back on the read-only
# page so that nothing the visitor wrote is lost. Never the admin's fields (a password).
WRITTEN_FIELDS = ("body", "message")


class PrimaryState:
    """What this process knows of the primary: when it was last found unreachable."""

    def __init__(self) -> None:
        self.own_until = -math.inf  # this process found it down (kept even if the cache is down)
        self.shared_until = -math.inf  # another process found it down (read from the cache)
        self.shared_read_at = -math.inf

    def known_down(self) -> bool:
        now = time.monotonic()
        if now < self.own_until:
            return True
        if now - self.shared_read_at >= SHARED_READ_EVERY_SECONDS:
            self.shared_read_at = now
            until = cache.get(DOWN_KEY)
            self.shared_until = now + (until - time.time()) if until else -math.inf
        return now < self.shared_until

    def mark_down(self) -> None:
        seconds = settings.DATABASE_PRIMARY_RETRY_SECONDS
        if time.monotonic() >= self.own_until:
            logger.warning("The primary database is unreachable: read-only for %s s", seconds)
        self.own_until = time.monotonic() + seconds
        cache.set(DOWN_KEY, time.time() + seconds, timeout=seconds)

    def mark_up(self) -> None:
        if self.own_until > -math.inf or self.shared_until > -math.inf:
            cache.delete(DOWN_KEY)
        self.own_until = self.shared_until = -math.inf

    def was_down(self) -> bool:
        return self.own_until > -math.inf or self.shared_until > -math.inf

    def answers(self) -> bool:
        """Ask the primary on a connection of its own. A TCP connection first, for one second at most: a
        primary that vanished without refusing costs that, not DATABASE_CONNECT_TIMEOUT (libpq's minimum is 2 s)."""
        database = connections["default"]
        params = database.get_connection_params()
        try:
            if params.get("host") and not str(params["host"]).startswith("/"):
                socket.create_connection((params["host"], int(params.get("port") or 5432)), timeout=1).close()
            raw = database.get_new_connection(params)
        except Exception:  # noqa: BLE001 - the driver's own errors, whatever the driver
            return False
        raw.close()
        return True

    def lost(self) -> bool:
        """After a database error in a request: is the primary the one that went away?"""
        raw = connections["default"].connection
        if raw is not None and not raw.closed and not getattr(raw, "broken", False):
            return False  # connected and healthy: the error was something else
        return not self.answers()


primary = PrimaryState()


def request_language(request: HttpRequest) -> str:
    """The URL's language (/fr/…, /en/…), else the browser's, else French."""
    language = translation.get_language_from_path(request.path_info) or translation.get_language_from_request(request)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def read_only_response(request: HttpRequest) -> HttpResponse:
    """503 « temporairement en lecture seule », in the request's language with a line in the other,
    rendered without the database. Nothing the request sent was kept."""
    language = request_language(request)
    other = next(code for code, _name in settings.LANGUAGES if code != language)
    sent = request.method not in SAFE_METHODS
    written = []
    if sent and not request.path_info.startswith("/admin/"):
        written = [text for field in WRITTEN_FIELDS if (text := request.POST.get(field, "").strip())]
    with translation.override(language):
        content = loader.get_template("read_only.html").render(
            {"LANGUAGE_CODE": language, "other_language": other, "sent": sent, "written": written}
        )
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    response["Content-Language"] = language
    response["X-Read-Only"] = "1"  # for proxies: the site's own answer, to pass on as it is
    return response


def check_primary() -> bool:
    """`SELECT 1` on the primary unless it is known to be down; remembers what it finds. After an
    outage it is first asked on a connection of its own (PrimaryState.answers: bounded)."""
    if primary.known_down():
        return False
    if primary.was_down() and not primary.answers():
        primary.mark_down()
        return False
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        primary.mark_down()
        return False
    primary.mark_up()
    return True
