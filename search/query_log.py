"""What searches are counted for editors, written off the request's path (ops.write_behind).

Each first page of results counts one hit in Wagtail's popular search terms (Query daily hits) and,
when no answer was understood, one in the questions without an answer (UnansweredQuery). The
searches are buffered in the cache and written to the primary every SEARCH_LOG_BATCH searches or by
`manage.py flush_search_queries`; while the primary is down they wait (then are dropped, counted,
past SEARCH_LOG_MAX_WAITING). What people type may name someone: `manage.py purge_search_queries`
deletes what is older than SEARCH_QUERY_RETENTION_DAYS.
"""

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from ops.write_behind import WriteBehind
from search.models import UnansweredQuery


def record(query: str, language: str, found: bool, understood: bool) -> None:
    """Count one search (buffered)."""
    query_string = normalise_query_string(query)[:255]
    if query_string:
        searches.append((query_string, language, found, understood, timezone.now().timestamp()))


def write(entries: list[tuple]) -> None:
    """Add the buffered searches to the counts, in one transaction on the primary."""
    daily = Counter()
    unanswered: dict[tuple[str, str], list] = {}
    for query_string, language, found, understood, at in entries:
        searched_at = datetime.fromtimestamp(at, tz=timezone.get_current_timezone())
        daily[(query_string, searched_at.date())] += 1
        if not understood:
            hits, _found, last = unanswered.get((query_string, language), (0, found, searched_at))
            unanswered[(query_string, language)] = (hits + 1, found, max(last, searched_at))  # the latest says
    with transaction.atomic(using="default"):
        for (query_string, date), hits in daily.items():
            query = Query.get(query_string)
            row, created = QueryDailyHits.objects.get_or_create(query=query, date=date, defaults={"hits": hits})
            if not created:
                QueryDailyHits.objects.filter(pk=row.pk).update(hits=F("hits") + hits)
        for (query_string, language), (hits, found, last) in unanswered.items():
            row, created = UnansweredQuery.objects.get_or_create(
                query_string=query_string, language=language, defaults={"hits": hits, "has_results": found}
            )
            UnansweredQuery.objects.filter(pk=row.pk).update(
                hits=F("hits") + (0 if created else hits), has_results=found, last_searched_at=last
            )


searches = WriteBehind("search", write, batch_setting="SEARCH_LOG_BATCH", max_setting="SEARCH_LOG_MAX_WAITING")


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete the search texts older than SEARCH_QUERY_RETENTION_DAYS; return how many rows went."""
    now = now or timezone.now()
    days = settings.SEARCH_QUERY_RETENTION_DAYS
    limit = now - timedelta(days=days)
    deleted = {"unanswered": UnansweredQuery.objects.filter(last_searched_at__lt=limit).delete()[0]}
    oldest_day = timezone.localdate(now) - timedelta(days=days)
    deleted["daily_hits"] = QueryDailyHits.objects.filter(date__lt=oldest_day).delete()[0]
    # Wagtail's own clean-up: the queries left without hits, except those editors promote results for.
    before = Query.objects.count()
    Query.garbage_collect()
    deleted["queries"] = before - Query.objects.count()
    return deleted
