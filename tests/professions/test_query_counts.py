from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from home.seeding import ensure_home_page
from professions.loading import load_directory_data
from professions.models import OrderPage, ProfessionPage
from tests.factories import data_query_count, directory_data

MAX_QUERIES = 7  # routing: one small lookup (id, type) and one load per URL segment


def build_uncached(name, request, *parts, build):
    """Stands in for ops.cache.cached_fragment with the cache off."""
    return build()


class QueryCountTests(TestCase):
    """Directory pages run a fixed number of queries, whatever the number of orders (no N+1)."""

    def page_queries(self, path: str) -> int:
        self.client.get(path)  # warm per-process caches (site root paths, content types)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return data_query_count(queries)

    def measure(self) -> dict:
        order = OrderPage.objects.order_by("path").first()
        profession = ProfessionPage.objects.order_by("path").first()
        counts = {}
        for language in ("fr", "en"):
            with translation.override(language):
                paths = {
                    "index": order.get_parent().get_url(),
                    "order": order.get_url(),
                    "profession": profession.get_url(),
                    "a-z": f"/{language}/professions/",
                }
            for name, path in paths.items():
                counts[(language, name, "cached lists")] = self.page_queries(path)
                # The listing data cache off: the queries that build the lists must not grow either.
                with (
                    mock.patch("professions.models.indexes.cached_fragment", side_effect=build_uncached),
                    mock.patch("professions.models.pages.cached_fragment", side_effect=build_uncached),
                ):
                    counts[(language, name, "uncached")] = self.page_queries(path)
        return counts

    def test_query_counts_stay_the_same_with_five_times_more_orders_and_professions(self):
        ensure_home_page()
        load_directory_data(directory_data(2, 2))
        small = self.measure()
        load_directory_data(directory_data(10, 2))
        self.assertEqual(OrderPage.objects.count(), 10)
        self.assertEqual(ProfessionPage.objects.count(), 20)
        large = self.measure()
        self.assertEqual(large, small)
        self.assertLessEqual(max(large.values()), MAX_QUERIES, large)
