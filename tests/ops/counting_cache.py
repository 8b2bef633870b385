"""A real local-memory cache that also notes every key read from it (tests count page-cache lookups)."""

from django.core.cache.backends.locmem import LocMemCache

READS: list[str] = []  # every key read, from any CountingCache, in order


class CountingCache(LocMemCache):
    def get(self, key, default=None, version=None):
        READS.append(key)
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        READS.extend(keys)
        return super().get_many(keys, version)

    def has_key(self, key, version=None):
        READS.append(key)
        return super().has_key(key, version)
