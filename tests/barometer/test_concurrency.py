"""Votes are exact under concurrency: many threads, each with its own PostgreSQL connection, vote at
once for the same answer on the same page (one row to increment, created by the first vote)."""

import datetime
import threading

import pytest

from django.db import connection
from django.test import Client, override_settings

from barometer.models import VoteCount, count_vote
from tests.barometer.pages import barometer_site
from tests.barometer.test_votes import ORIGIN, token_of

THREADS = 8
VOTES_PER_THREAD = 12


def run_together(work) -> list[BaseException]:
    """Run work(index) in THREADS threads released at the same moment; return what they raised."""
    barrier = threading.Barrier(THREADS)
    errors = []

    def target(index):
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(BAROMETER_VOTE_RATE="1000/h")
def test_concurrent_votes_through_the_view_are_all_counted():
    home, _other = barometer_site()
    token = token_of(Client().get("/fr/").content.decode())
    statuses = []

    def vote(index):
        client = Client(REMOTE_ADDR=f"198.51.100.{index + 1}")
        for _ in range(VOTES_PER_THREAD):
            response = client.post(
                "/fr/barometre/vote/", {"answer": "both", "page": home.pk, "started": token}, headers=ORIGIN
            )
            statuses.append(response.status_code)

    assert run_together(vote) == []
    assert statuses == [303] * THREADS * VOTES_PER_THREAD
    assert list(VoteCount.objects.values_list("answer", "count")) == [("both", THREADS * VOTES_PER_THREAD)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_votes_of_a_month_racing_to_create_the_row_are_all_counted():
    home, _other = barometer_site()
    month = datetime.date(2031, 5, 1)

    def vote(index):
        for _ in range(3):
            count_vote("public", home.pk, "en", month)

    assert run_together(vote) == []
    assert VoteCount.objects.get(month=month).count == THREADS * 3
