"""Views for load balancers and faults: /healthz and the 503 page shown when the database is down."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache

from ops.database.primary import check_primary
from ops.database.replica import replica
from ops.write_behind import counts

logger = logging.getLogger(__name__)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """Which mode this node serves in, for load balancers and operators.

    - 200 {"status": "ok", "mode": "read-write"} once the primary answers `SELECT 1`;
    - 200 {"status": "ok", "mode": "read-only"} when the primary does not but the replica does: pages
      are served from the replica and writes get the read-only answer, so the node stays in rotation;
    - 503 {"status": "unavailable", "database": "default"} otherwise.
    With a replica configured, "replica" says "ok" or "unavailable"; "write_behind" counts, per buffer, the entries
    waiting to be written and those dropped (ops.write_behind).
    """
    with_replica = "replica" in settings.DATABASES
    primary_ok = check_primary() if with_replica else _primary_answers()
    replica_ok = False
    if with_replica:
        replica.check()
        replica_ok = replica.up
    if not primary_ok and not replica_ok:
        logger.error("Health check: the primary database is unavailable")
        return JsonResponse({"status": "unavailable", "database": "default"}, status=503)
    answer = {"status": "ok", "mode": "read-write" if primary_ok else "read-only"}
    if with_replica:
        answer["replica"] = "ok" if replica_ok else "unavailable"
    answer["write_behind"] = counts()
    return JsonResponse(answer)


def _primary_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _caused_by_database_outage(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DATABASE_DOWN_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """A translated 503 page rendered without touching the database."""
    language = translation.get_language_from_path(request.path_info) or translation.get_language_from_request(request)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        content = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes the translated 503 page, anything else the 500 page."""
    if _caused_by_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)
