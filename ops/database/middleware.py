"""Each request's database mode: reads on the replica, read-only while the primary is down.

- An anonymous GET/HEAD outside the admin reads the replica while it is up and has replayed the
  last publish; its view runs outside the primary's request transaction (ReplicaViewMiddleware),
  so it never needs the primary at all.
- While the primary is known to be down (ops.database.primary) and the replica answers: every
  GET/HEAD/OPTIONS outside the admin is served from the replica, and every other request (POST,
  PUT, PATCH, DELETE: comments, forms, votes) and the whole admin get the read-only answer (503,
  Retry-After) before any view runs.
- A request during which a database fails is looked at once more: the replica gone, it runs again
  on the primary; the primary gone, it runs again on the replica (reads) or gets the read-only
  answer (writes; its transaction never committed, so nothing of it was kept).
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from ops.database.primary import SAFE_METHODS, primary, read_only_response
from ops.database.replica import last_publish_position, replica
from ops.database.router import read_only as read_only_flag
from ops.database.router import reads_on_replica, refused_by_standby

logger = logging.getLogger(__name__)

PRIMARY_ONLY_PREFIXES = ("/admin/", "/healthz")
WRITING_PREFIXES = ("/admin/",)  # the whole admin, its login included, writes (sessions, last login)


def replica_reads_allowed(request: HttpRequest) -> bool:
    """An anonymous read outside the admin and the health check."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(PRIMARY_ONLY_PREFIXES)
    )


def writes(request: HttpRequest) -> bool:
    """Whether the request may write: an unsafe method, or anything in the admin."""
    return request.method not in SAFE_METHODS or request.path_info.startswith(WRITING_PREFIXES)


class DatabaseModeMiddleware:
    """Choose the request's databases; answer writes with the read-only page while the primary is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.DATABASE_REPLICA_URL or request.path_info.startswith("/healthz"):
            return self.get_response(request)  # without a replica there is no other server to read
        if primary.known_down() and replica.usable(0):
            return self.serve_read_only(request)
        allowed = replica_reads_allowed(request) and replica.usable(last_publish_position())
        response = self.serve(request, allowed)
        failed = getattr(request, "_database_failed", None)
        if failed == "primary" and replica.usable(0):
            logger.warning("Primary lost during %s %s; answered read-only", request.method, request.path_info)
            response = self.serve_read_only(request)
        elif failed == "replica":
            # The replica went away during this request: answer it again from the primary.
            logger.warning("Replica failed during %s; answered from the primary", request.path_info)
            replica.mark_down()
            response = self.serve(request, False)
        return response

    def serve_read_only(self, request: HttpRequest) -> HttpResponse:
        if writes(request):
            return read_only_response(request)
        response = self.serve(request, True, read_only=True)
        if request._database_failed == "primary":  # the view tried to write
            return read_only_response(request)
        return response

    def serve(self, request: HttpRequest, on_replica: bool, read_only: bool = False) -> HttpResponse:
        request._replica_reads, request._read_only, request._database_failed = on_replica, read_only, None
        tokens = reads_on_replica.set(on_replica), read_only_flag.set(read_only)
        try:
            return self.get_response(request)
        finally:
            reads_on_replica.reset(tokens[0])
            read_only_flag.reset(tokens[1])


class ReplicaViewMiddleware:
    """Run a view that reads the replica outside the primary's request transaction.

    ATOMIC_REQUESTS opens a transaction on the primary around every view, which connects to it even
    when every query goes to the replica: with the primary down, every page would fail. Last in
    MIDDLEWARE, so every other middleware's process_view has run; other views keep ATOMIC_REQUESTS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, view_args, view_kwargs) -> HttpResponse | None:
        if getattr(request, "_replica_reads", False):
            return view(request, *view_args, **view_kwargs)
        return None


def _note_database_failure(sender, request=None, **kwargs) -> None:
    """Which server failed a request (the middleware above decides what to do about it)."""
    error = sys.exc_info()[1]
    if request is None or not settings.DATABASE_REPLICA_URL:
        return
    if getattr(request, "_read_only", False) and refused_by_standby(error):
        request._database_failed = "primary"  # a write, which only the primary could take
    elif not isinstance(error, OperationalError | InterfaceError):
        return
    elif not getattr(request, "_read_only", False) and primary.lost():
        primary.mark_down()
        request._database_failed = "primary"
    elif getattr(request, "_replica_reads", False):
        request._database_failed = "replica"


got_request_exception.connect(_note_database_failure, dispatch_uid="ops_database_failure")
