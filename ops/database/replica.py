"""Is the replica usable: does it answer, and has it replayed the last publish.

Reads go to the replica only while it answers and has replayed the last publish: every publish
records the primary's WAL position in the cache (record_primary_position), and each process
checks the replica's replayed position at most once a second. A replica that is down or behind
sends reads to the primary; a replica that fails during a request makes the request run again on
the primary (ops.database.middleware). Visitors never see the difference.
"""

import contextlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.utils.connection import ConnectionDoesNotExist

logger = logging.getLogger(__name__)

PRIMARY_POSITION_KEY = "site_ordre:primary_wal_position"
CHECK_EVERY_SECONDS = 1.0  # how old the replica's known position may be
RETRY_DOWN_AFTER_SECONDS = 2.0  # after a failure, how long reads stay on the primary
RECHECK_BEHIND_SECONDS = 0.1  # while it is behind the last publish, how often to look again


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
        """Up, and replayed at least `needed` (0: only up, as in read-only mode)."""
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


def last_publish_position() -> int:
    """The primary's WAL position after the last publish (0 when unknown)."""
    return cache.get(PRIMARY_POSITION_KEY) or 0


def record_primary_position() -> None:
    """After a publish commits: readers wait for the replica to replay this far (or read the primary)."""
    if "replica" not in settings.DATABASES or connections["default"].vendor != "postgresql":
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = parse_lsn(cursor.fetchone()[0])
        if position > last_publish_position():
            cache.set(PRIMARY_POSITION_KEY, position, timeout=None)
    except DatabaseError:
        logger.exception("Could not record the primary's WAL position")
