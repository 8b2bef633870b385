"""Fetch external addresses politely and record what they answered (run by `manage.py check_links`).

HEAD first, GET when HEAD fails (many servers refuse HEAD); redirects are followed one hop at a time
so that each hop is paced, bounded, validated and recorded. Every request goes through links.fetch:
public addresses only (checked when connecting, at every hop), one total deadline, a byte cap.
Nothing here runs during a page view: public pages only read the recorded results (links.public).
"""

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from django.conf import settings
from django.utils import timezone

from links.fetch import DEADLINE, Guard, PinnedAdapter, Refused, guarded, internal_hosts
from links.models import REFUSAL_LABELS, CheckedLink

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_URL_BYTES = 2000  # CheckedLink.url's length, well under PostgreSQL's index entry limit
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}
# A redirect from a deep page to one of these paths means the page is gone, not moved.
HOME_PATHS = {"", "fr", "en", "fr-ca", "en-ca", "accueil", "home", "index.html", "index.php"}


@dataclass
class Outcome:
    """The answer to one check."""

    status_code: int | None = None
    final_url: str = ""
    redirected: bool = False
    permanent_redirect: bool = False
    error: str = ""
    hops: list[int] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.error and self.status_code is not None and 200 <= self.status_code < 300


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_allowed(url: str) -> bool:
    """An http(s) address whose host may be fetched (LINK_CHECK_ALLOWED_HOSTS, when set, limits them)."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. a malformed IPv6 address
        return False
    if parts.scheme not in ("http", "https") or not hostname or len(url.encode()) > MAX_URL_BYTES:
        return False
    allowed = settings.LINK_CHECK_ALLOWED_HOSTS
    return not allowed or hostname.lower() in allowed


def is_home_page(url: str) -> bool:
    return urlsplit(url).path.strip("/").lower() in HOME_PATHS


class Pacer:
    """At most one request per host every `delay` seconds."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic, sleep=time.sleep):
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self.next_slot: dict[str, float] = {}

    def ready_at(self, host: str) -> float:
        return self.next_slot.get(host, 0.0)

    def wait(self, host: str) -> None:
        pause = self.ready_at(host) - self.clock()
        if pause > 0:
            self.sleep(pause)
        self.next_slot[host] = self.clock() + self.delay


def new_session() -> requests.Session:
    session = requests.Session()
    # No proxy, .netrc or CA bundle from the environment: the checker goes straight to the address.
    session.trust_env = False
    # Every connection resolves, validates and pins its address (links.fetch).
    for prefix in ("http://", "https://"):
        session.mount(prefix, PinnedAdapter())
    session.headers["User-Agent"] = settings.LINK_CHECK_USER_AGENT
    session.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"
    return session


def _request(session: requests.Session, method: str, url: str, timeout: float, deadline: float) -> requests.Response:
    """One request, all of it (DNS, connect, TLS, headers) within `timeout` and before `deadline`."""
    limit = min(timeout, deadline - time.monotonic())
    if limit <= 0:
        raise Refused(DEADLINE, "no time left")
    guard = Guard(
        deadline=time.monotonic() + limit,
        max_bytes=settings.LINK_CHECK_MAX_BYTES,
        internal_hosts=internal_hosts(settings.LINK_CHECK_INTERNAL_HOSTS),
    )
    with guarded(guard):
        try:
            response = session.request(method, url, allow_redirects=False, timeout=(limit, limit), stream=True)
        except requests.RequestException as error:
            if time.monotonic() >= guard.deadline:
                raise Refused(DEADLINE, str(error)) from error
            raise
        response.close()  # headers are enough: never download the body
    return response


def _error_kind(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "timeout"
    if isinstance(error, requests.exceptions.SSLError):
        return "certificate"
    if isinstance(error, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return "invalid"
    return "connection"


def fetch_once(session: requests.Session, url: str, timeout: float, deadline: float, pacer: Pacer) -> requests.Response:
    """HEAD, then GET when HEAD fails with an error status or a dropped connection (not a timeout).

    Raises Refused when links.fetch stopped a request (internal address, deadline, too large).
    """
    pacer.wait(host_of(url))
    try:
        response = _request(session, "HEAD", url, timeout, deadline)
        if response.status_code < 400:
            return response
    except requests.Timeout:
        raise
    except requests.RequestException:
        logger.debug("HEAD failed for %s, trying GET", url)
    pacer.wait(host_of(url))
    return _request(session, "GET", url, timeout, deadline)


def check_url(
    url: str, *, session: requests.Session, pacer: Pacer, timeout: float, deadline: float | None = None
) -> Outcome:
    """Follow up to MAX_REDIRECTS redirects from url; never past `deadline` (time.monotonic())."""
    outcome = Outcome()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        if not is_allowed(current):
            is_web = current.lower().startswith(("http://", "https://")) and len(current.encode()) <= MAX_URL_BYTES
            outcome.error = "not_allowed" if is_web else "invalid"
            outcome.final_url = current[:MAX_URL_BYTES]
            return outcome
        if deadline is not None and deadline <= time.monotonic():
            outcome.error = DEADLINE
            return outcome
        try:
            response = fetch_once(session, current, timeout, math.inf if deadline is None else deadline, pacer)
        except Refused as refusal:
            logger.info("Refused %s: %s", current, refusal.detail or refusal.reason)
            outcome.error = refusal.reason
            outcome.final_url = current[:MAX_URL_BYTES] if current != url else ""
            outcome.redirected = bool(outcome.hops)
            return outcome
        except (requests.RequestException, ValueError) as error:  # ValueError: unparsable address or header
            outcome.error = _error_kind(error) if isinstance(error, requests.RequestException) else "invalid"
            outcome.final_url = current[:MAX_URL_BYTES]
            return outcome
        outcome.status_code = response.status_code
        location = response.headers.get("Location")
        if response.status_code in REDIRECTS and location:
            outcome.hops.append(response.status_code)
            try:
                current = urljoin(current, location)
            except ValueError:
                outcome.error = "invalid"
                return outcome
            continue
        outcome.final_url = current if current != url else ""
        outcome.redirected = bool(outcome.hops)
        outcome.permanent_redirect = bool(outcome.hops) and all(code in PERMANENT for code in outcome.hops)
        if outcome.redirected and is_home_page(current) and not is_home_page(url):
            outcome.error = "home_page"
        return outcome
    outcome.error = "redirects"
    outcome.final_url = current[:MAX_URL_BYTES]
    return outcome


def record(url: str, outcome: Outcome) -> tuple[CheckedLink, bool]:
    """Store the outcome; return the link and whether public pages must change (shown ↔ hidden)."""
    now = timezone.now()
    link = CheckedLink.objects.filter(url=url).first() or CheckedLink(url=url)
    was_shown = link.pk is not None and link.is_shown(now)
    link.checked_at = now
    link.status_code = outcome.status_code
    link.final_url = outcome.final_url
    link.redirected = outcome.redirected
    link.permanent_redirect = outcome.permanent_redirect
    link.error = outcome.error
    link.passed = outcome.passed
    if outcome.passed:
        link.passed_at = now
    link.save()
    return link, link.is_shown(now) != was_shown


@dataclass
class RunSummary:
    checked: dict[str, int] = field(default_factory=dict)
    left: int = 0
    skipped: int = 0
    changed: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.checked.values())


def run_checks(
    urls: Iterable[str],
    *,
    budget: float,
    timeout: float | None = None,
    delay: float | None = None,
    on_change: Callable[[list[str]], list[str]] | None = None,
) -> RunSummary:
    """Check urls in the given order within `budget` seconds, picking whichever host is free first.

    A link is started only with at least `timeout` seconds of budget left and gets at most three
    timeouts in all (redirect hops included); a check cut short by the budget is not recorded.
    """
    timeout = settings.LINK_CHECK_TIMEOUT if timeout is None else timeout
    delay = settings.LINK_CHECK_HOST_DELAY if delay is None else delay
    end = time.monotonic() + budget
    pacer = Pacer(delay)
    summary = RunSummary()
    queue = []
    for url in dict.fromkeys(urls):
        if is_allowed(url):
            queue.append(url)
        else:
            summary.skipped += 1
    try:
        with new_session() as session:
            while queue:
                now = time.monotonic()
                url = min(queue, key=lambda item: max(pacer.ready_at(host_of(item)), now))
                if end - max(pacer.ready_at(host_of(url)), now) < timeout:
                    break
                queue.remove(url)
                deadline = min(end, time.monotonic() + 3 * timeout)
                outcome = check_url(url, session=session, pacer=pacer, timeout=timeout, deadline=deadline)
                if outcome.error == "timeout" and time.monotonic() >= end:
                    queue.append(url)  # cut by the budget: the next run checks it
                    break
                _check_done(url, outcome, summary)
    finally:
        summary.left = len(queue)
        if summary.changed and on_change is not None:
            summary.refreshed = on_change(summary.changed)
    return summary


def _check_done(url: str, outcome: Outcome, summary: RunSummary) -> None:
    _link, changed = record(url, outcome)
    if changed:
        summary.changed.append(url)
    if outcome.passed and outcome.final_url:
        # The redirect's target answered too: record it, so that its new address can be shown at once.
        _target, target_changed = record(outcome.final_url, Outcome(status_code=outcome.status_code))
        if target_changed:
            summary.changed.append(outcome.final_url)
    if outcome.error in REFUSAL_LABELS:
        state = "refused"
    else:
        state = "broken" if not outcome.passed else "redirected" if outcome.redirected else "ok"
    summary.checked[state] = summary.checked.get(state, 0) + 1
