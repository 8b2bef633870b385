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

from site_ordre.db_router import replica

logger = logging.getLogger(__name__)

DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} once the primary database answers `SELECT 1`; 503 otherwise.

    A read replica is reported ("replica": "ok" or "unavailable") but never fails the check: pages
    then read the primary, so the load balancer must keep sending traffic.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the primary database is unavailable")
        return JsonResponse({"status": "unavailable", "database": "default"}, status=503)
    answer = {"status": "ok"}
    if "replica" in settings.DATABASES:
        replica.check()
        answer["replica"] = "ok" if replica.up else "unavailable"
    return JsonResponse(answer)


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
