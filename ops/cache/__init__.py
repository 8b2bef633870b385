"""Anonymous page cache and fragments, invalidated at once by a site-wide generation number.

- generation.py: the generation, cached fragments and shared values, the request shortcuts;
- pages.py: the anonymous page cache (ops.middleware uses it);
- invalidation.py: the saves and deletes that bump the generation (connected in OpsConfig.ready).
"""

from ops.cache.generation import (
    FRAGMENT_CACHE_SECONDS,
    GENERATION_KEY,
    any_page_view_restriction,
    bump_generation,
    cached_fragment,
    current_generation,
    fragment_key,
    invalidate,
    request_generation,
    shared_value,
    site_for_request,
)
from ops.cache.invalidation import (
    DRAFT_ONLY_FIELDS,
    NOT_PUBLIC_CONTENT_MODELS,
    PUBLIC_CONTENT_MODELS,
    connect_signals,
)
from ops.cache.pages import (
    freeze,
    is_cacheable_request,
    is_cacheable_response,
    may_be_page,
    page_cache_key,
    page_cache_lookup,
    thaw,
)

__all__ = [
    "DRAFT_ONLY_FIELDS",
    "FRAGMENT_CACHE_SECONDS",
    "GENERATION_KEY",
    "NOT_PUBLIC_CONTENT_MODELS",
    "PUBLIC_CONTENT_MODELS",
    "any_page_view_restriction",
    "bump_generation",
    "cached_fragment",
    "connect_signals",
    "current_generation",
    "fragment_key",
    "freeze",
    "invalidate",
    "is_cacheable_request",
    "is_cacheable_response",
    "may_be_page",
    "page_cache_key",
    "page_cache_lookup",
    "request_generation",
    "shared_value",
    "site_for_request",
    "thaw",
]
