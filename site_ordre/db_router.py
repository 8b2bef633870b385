"""Primary/replica routing, enabled when DATABASE_REPLICA_URL is set (see docs/deployment.md).

Reads go to the replica only inside an anonymous GET/HEAD request outside the admin; writes
always go to the primary, and after a write the rest of the request reads the primary too
(read your own writes). Management commands and scheduled jobs use the primary.
"""

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)

PRIMARY_ONLY_PREFIXES = ("/admin/", "/healthz")


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


class ReplicaReadsMiddleware:
    """Allow replica reads for the duration of an anonymous, read-only request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(PRIMARY_ONLY_PREFIXES)
        )
        token = _reads_on_replica.set(allowed)
        try:
            return self.get_response(request)
        finally:
            _reads_on_replica.reset(token)
