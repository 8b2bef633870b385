"""Writes that can wait (search statistics): kept in the shared cache, written to the primary in batches.

A request that only reads must not need the primary, nor wait for it. What it would have written
for statistics is appended to a buffer in the cache instead (one INCR and one SET), and written in
one transaction every `batch` entries (by the request that completes the batch) or by a scheduled
command, whenever the primary can take it. While it cannot (read-only mode), entries wait, each for
at most a day; beyond `max_waiting` entries the new ones are dropped and counted: /healthz shows
the count of every buffer (`waiting`, `dropped`).

Entries are numbered by INCR; an entry is one cache key. A flush takes a lock (cache.add, with a
token, for LOCK_SECONDS: a worker killed while flushing holds it no longer), reads the numbered keys
from the last flushed one, writes them and moves the start. A missing key is an entry whose request
took its number but has not stored it yet, or never will (killed between INCR and SET): the flush
stops there and waits for it, then skips it once it is surely older than MISSING_GRACE (the `gap`
key: every number up to the tail read at a time was taken before that time). Under concurrent
load the tail moves while a flush reads, so nearness to the tail says nothing about a key's age.
Without a cache (Redis down) an entry is written at once when the primary answers, else dropped.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from ops.database.primary import primary
from ops.database.router import read_only, reads_on_replica

logger = logging.getLogger(__name__)

ENTRY_SECONDS = 86400
LOCK_SECONDS = (
    10  # a flush (at most MAX_PER_FLUSH entries) takes well under this; one that took longer may be rewritten
)
MISSING_GRACE = 5.0  # a request stores its entry right after taking its number: one missing for longer never will
MAX_PER_FLUSH = 500

BUFFERS: dict[str, "WriteBehind"] = {}


class WriteBehind:
    """One named buffer and the function that writes a list of its entries to the primary."""

    def __init__(self, name: str, write: Callable[[list], None], batch_setting: str, max_setting: str):
        self.name, self.write = name, write
        self.batch_setting, self.max_setting = batch_setting, max_setting
        self.key = f"site_ordre:write_behind:{name}"
        BUFFERS[name] = self

    def append(self, entry) -> None:
        """Keep the entry for the next flush; flush now if it completes a batch and the primary answers."""
        head, tail = self._bounds()
        if tail is None:  # the cache is unreachable
            self._write_now(entry)
            return
        if tail - head + 1 >= getattr(settings, self.max_setting):
            self._count_dropped(1)
            return
        number = self._incr("tail")
        if number is None:
            self._write_now(entry)
            return
        cache.set(f"{self.key}:{number}", entry, ENTRY_SECONDS)
        if number % max(getattr(settings, self.batch_setting), 1) == 0 and self.primary_available():
            self.flush()

    def flush(self) -> int:
        """Write what waits, in one transaction; return how many entries were written."""
        lock, token = f"{self.key}:lock", uuid.uuid4().hex
        if not cache.add(lock, token, LOCK_SECONDS):
            return 0  # another process is flushing (or was killed doing so: the lock expires soon)
        try:
            head, tail = self._bounds()
            if tail is None or tail < head:
                return 0
            read_at = time.time()  # every number up to `tail` was taken before this
            last = min(tail, head + MAX_PER_FLUSH - 1)
            keys = [f"{self.key}:{number}" for number in range(head, last + 1)]
            found = cache.get_many(keys)
            for number, key in enumerate(keys, head):
                if key not in found and not self._surely_lost(number, tail, read_at):
                    last = number - 1  # not written yet by its request: the next flush takes it
                    break
            entries = [found[key] for key in keys[: last - head + 1] if key in found]
            if entries:
                replica_reads = reads_on_replica.get()
                try:
                    self.write(entries)
                except DatabaseError:
                    logger.warning("Could not write %s %s entries; they wait", len(entries), self.name)
                    if primary.lost():
                        primary.mark_down()
                    return 0
                finally:  # statistics need no "read your own writes": the request keeps reading the replica
                    reads_on_replica.set(replica_reads)
            cache.set(f"{self.key}:head", last + 1, timeout=None)
            cache.delete_many(keys[: last - head + 1])
            return len(entries)
        finally:
            if cache.get(lock) == token:  # not a lock taken by another flush after ours expired
                cache.delete(lock)

    def _surely_lost(self, number: int, tail: int, read_at: float) -> bool:
        """Whether the missing entry `number` was taken more than MISSING_GRACE ago (its request died)."""
        gap = cache.get(f"{self.key}:gap")  # (a tail, when it was read)
        if gap and number <= gap[0]:
            return read_at - gap[1] > MISSING_GRACE
        cache.set(f"{self.key}:gap", (tail, read_at), ENTRY_SECONDS)
        return False

    def counts(self) -> tuple[int, int]:
        """(waiting, dropped) for /healthz."""
        head, tail = self._bounds()
        waiting = max(tail - head + 1, 0) if tail is not None else 0
        return waiting, cache.get(f"{self.key}:dropped") or 0

    @staticmethod
    def primary_available() -> bool:
        return not read_only.get() and not primary.known_down()

    def _bounds(self) -> tuple[int, int | None]:
        """(first waiting entry's number, last entry's number), the last None when the cache is down."""
        values = cache.get_many([f"{self.key}:head", f"{self.key}:tail"])
        tail = values.get(f"{self.key}:tail")
        if tail is None and not cache.add(f"{self.key}:tail", 0, timeout=None):
            tail = cache.get(f"{self.key}:tail")
        elif tail is None:
            tail = 0
        head = values.get(f"{self.key}:head") or 1
        if tail is not None and head > tail + 1:  # the numbers started again (the cache lost them)
            head = tail + 1
            cache.set(f"{self.key}:head", head, timeout=None)
        return head, tail

    def _incr(self, name: str) -> int | None:
        try:
            return cache.incr(f"{self.key}:{name}")
        except ValueError:  # the key went away (eviction, restart): start again
            cache.add(f"{self.key}:{name}", 0, timeout=None)
            try:
                return cache.incr(f"{self.key}:{name}")
            except ValueError:
                return None

    def _count_dropped(self, count: int) -> None:
        if self._incr("dropped") is None:
            logger.warning("Dropped %s %s entries (the cache is unreachable too)", count, self.name)

    def _write_now(self, entry) -> None:
        if not self.primary_available():
            self._count_dropped(1)
            return
        try:
            self.write([entry])
        except DatabaseError:
            self._count_dropped(1)


def counts() -> dict[str, dict[str, int]]:
    """Every buffer's waiting and dropped entries."""
    result = {}
    for name, buffer in sorted(BUFFERS.items()):
        waiting, dropped = buffer.counts()
        result[name] = {"waiting": waiting, "dropped": dropped}
    return result
