"""Test-only URLs: the site's, plus a view that runs the real search view and then, in the same
request and transaction (ATOMIC_REQUESTS), asks PostgreSQL what the planner settings are."""

from django.db import connection
from django.http import JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from search import views as search_views
from site_ordre.urls import urlpatterns as site_urlpatterns


def search_then_show_settings(request):
    with CaptureQueriesContext(connection) as queries:
        response = search_views.search(request)
        response.render()
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        after = cursor.fetchone()[0]
    return JsonResponse(
        {
            "status": response.status_code,
            "in_request_transaction": connection.in_atomic_block,
            "hinted": any("enable_seqscan = off" in query["sql"] for query in queries.captured_queries),
            "results": len(response.context_data.get("results") or []),
            "suggestion": response.context_data.get("suggestion") or "",
            "enable_seqscan_after": after,
        }
    )


urlpatterns = [path("search-then-show-settings/", search_then_show_settings), *site_urlpatterns]
