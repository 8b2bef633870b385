"""Helpers for the security settings."""

from django.conf import settings
from django.http import HttpRequest


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
