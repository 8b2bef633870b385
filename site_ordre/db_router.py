"""Primary/replica routing, enabled when DATABASE_REPLICA_URL is set (see docs/deployment.md).

Reads go to the replica only inside an anonymous GET/HEAD request outside the admin; writes
always go to the primary, and after a write the rest of the request reads the primary too
(read your own writes). Management commands and scheduled jobs use the primary.

The replica is used only while it answers and has replayed the last publish: every publish
records the primary's WAL position in the cache (record_primary_position), and each process
checks the replica's replayed position at most once a second. A replica that is down or behind
sends reads to the primary; a replica that fails during a request makes the request run again
on the primary. Visitors never see the difference.
"""

import contextlib
import logging
import math
import sys
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.connection import ConnectionDoesNotExist

logger = logging.getLogger(__name__)

_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)

PRIMARY_ONLY_PREFIXES = ("/admin/", "/healthz")
PRIMARY_POSITION_KEY = "site_ordre:primary_wal_position"
CHECK_EVERY_SECONDS = 1.0  # how old the replica's known position may be
RETRY_DOWN_AFTER_SECONDS = 2.0  # after a failure, how long reads stay on the primary
RECHECK_BEHIND_SECONDS = 0.1  # while it is behind the last publish, how often to look again


class PrimaryReplicaRouter:
    """Send reads to "replica" when the current request allows it, writes to "default"."""

    def db_for_read(self, model, **hints) -> str:
        return "replica" if _reads_on_replica.get() else "default"

    def db_for_write(self, model, **hints) -> str:
        _reads_on_replica.set(False)
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def parse_lsn(text: str | None) -> int:
    """PostgreSQL's "16/B374D848" as a number (0 for None)."""
    if not text:
        return 0
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


class ReplicaState:
    """What this process knows of the replica: does it answer, how far has it replayed."""

    def __init__(self) -> None:
        self.checked_at = -math.inf
        self.up = False
        self.replayed = 0

    def usable(self, needed: int) -> bool:
        age = time.monotonic() - self.checked_at
        limit = CHECK_EVERY_SECONDS if self.up else RETRY_DOWN_AFTER_SECONDS
        if age > limit or (self.up and needed > self.replayed and age > RECHECK_BEHIND_SECONDS):
            self.check()
        return self.up and needed <= self.replayed

    def check(self) -> None:
        self.checked_at = time.monotonic()
        connection = connections["replica"]
        if connection.vendor != "postgresql":  # tests: the replica mirrors the primary
            self.up, self.replayed = True, math.inf
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")
                in_recovery, replayed = cursor.fetchone()
        except DatabaseError:
            self.mark_down()
            return
        self.up = True
        self.replayed = parse_lsn(replayed) if in_recovery else math.inf

    def mark_down(self) -> None:
        self.checked_at, self.up = time.monotonic(), False
        with contextlib.suppress(DatabaseError, ConnectionDoesNotExist):
            connections["replica"].close()


replica = ReplicaState()


def record_primary_position() -> None:
    """After a publish commits: readers wait for the replica to replay this far (or read the primary)."""
    if "replica" not in settings.DATABASES or connections["default"].vendor != "postgresql":
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = parse_lsn(cursor.fetchone()[0])
        if position > (cache.get(PRIMARY_POSITION_KEY) or 0):
            cache.set(PRIMARY_POSITION_KEY, position, timeout=None)
    except DatabaseError:
        logger.exception("Could not record the primary's WAL position")


def replica_reads_allowed(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(PRIMARY_ONLY_PREFIXES)
    )


class ReplicaReadsMiddleware:
    """Allow replica reads for an anonymous, read-only request while the replica is up to date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = replica_reads_allowed(request)
        configured = bool(settings.DATABASE_REPLICA_URL)  # without it the router's answer is unused
        if allowed and configured:
            allowed = replica.usable(cache.get(PRIMARY_POSITION_KEY) or 0)
        request._replica_reads = allowed and configured
        response = self.serve(request, allowed)
        if getattr(request, "_replica_failed", False):
            # The replica went away during this request: answer it again from the primary.
            logger.warning("Replica failed during %s; answered from the primary", request.path_info)
            replica.mark_down()
            request._replica_reads = request._replica_failed = False
            response = self.serve(request, False)
        return response

    def serve(self, request: HttpRequest, replica_reads: bool) -> HttpResponse:
        token = _reads_on_replica.set(replica_reads)
        try:
            return self.get_response(request)
        finally:
            _reads_on_replica.reset(token)


def _note_replica_failure(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if getattr(request, "_replica_reads", False) and isinstance(error, OperationalError | InterfaceError):
        request._replica_failed = True


got_request_exception.connect(_note_replica_failure, dispatch_uid="site_ordre_replica_failure")
