"""Helpers for the security settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import is_same_domain


def client_ip(request: HttpRequest) -> str:
    """The visitor's address for django-axes: trust only the last TRUSTED_PROXY_COUNT forwarders.

    Each trusted proxy appends the address it received the request from, so the client is the
    entry that many places from the end; any earlier entries were sent by the client itself.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_same_origin(request: HttpRequest) -> bool:
    """Whether a form POST was sent from a page of this site, judged as Django's CSRF check does.

    The browser's Origin header (or, when it sends none, the Referer) must name this scheme and
    host, or an entry of CSRF_TRUSTED_ORIGINS. Stricter than Django over plain HTTP: a POST with
    neither header, or with `Origin: null`, is refused. Used where a page served from a shared
    cache cannot hold a per-visitor CSRF token (the blog's comment form).
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else "null"
    if origin == "null":
        return False
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    trusted = settings.CSRF_TRUSTED_ORIGINS
    if origin in trusted:
        return True
    parsed = urlsplit(origin)
    # "https://*.example.org" entries allow any subdomain, as in Django's CSRF check.
    return any(
        entry.startswith(f"{parsed.scheme}://*.") and is_same_domain(parsed.netloc, entry.split("://", 1)[1][1:])
        for entry in trusted
    )
