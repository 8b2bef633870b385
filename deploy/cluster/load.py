"""HTTP client, mixed load and HAProxy status for the cluster drills (standard library only)."""

import csv
import http.client
import io
import random
import statistics
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# Public pages in both languages (Varnish and the page cache keep them)…
PAGES = [
    "/fr/",
    "/en/",
    "/fr/ordres/",
    "/en/orders/",
    "/fr/ordres/barreau-du-quebec/",
    "/en/orders/order-of-engineers/engineer/",
    "/fr/professions/",
    "/en/professions/",
    "/fr/blogue/",
    "/en/blog/",
    "/fr/qui-contacter/",
    "/en/who-do-i-contact/",
]
# …searches (private: every one reaches a node and the search SQL)…
SEARCHES = ["ingénieur", "avocat", "infirmière", "dentsite", "OIQ", "lawyer", "nurse", "pharmacien", "notaire", "psy"]


def mixed_path(rng: random.Random) -> str:
    """Half cached pages, a quarter searches, a quarter pages with a campaign tag (cache misses)."""
    draw = rng.random()
    if draw < 0.5:
        return rng.choice(PAGES)
    if draw < 0.75:
        language, word = rng.choice([("fr", "recherche"), ("en", "search")]), rng.choice(SEARCHES)
        return f"/{language[0]}/{language[1]}/?{urlencode({'q': word})}"
    return f"{rng.choice(PAGES)}?utm_source=drill{rng.randrange(10**9)}"


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class Client:
    """Keep-alive HTTP/1.1 with its own cookie jar (the site's cookies are Secure, the loopback is http)."""

    def __init__(self, base_url: str, https: bool = False, timeout: float = 10):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.https, self.cookies = https, {}
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        all_headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.https:  # talking to a node directly: say what the proxies say
            all_headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # a kept-alive connection the server closed between requests: retry once, fresh
                self.close()
                if attempt == 2 or method not in ("GET", "HEAD"):
                    raise
        headers_out = {k.lower(): v for k, v in response.getheaders()}
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if headers_out.get("connection", "").lower() == "close":
            self.close()
        return Answer(response.status, headers_out, data.decode("utf-8", "replace"))

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict, referer: str) -> Answer:
        body = urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
        return self.request("POST", path, body=body, headers=headers)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Sample:
    at: float  # seconds since the drill started (when the request was sent)
    ms: float
    status: int  # 0: socket error
    path: str


@dataclass
class LoadRun:
    """Mixed load from `concurrency` threads for `seconds`, every answer recorded."""

    base_url: str
    seconds: float
    concurrency: int = 6
    samples: list[Sample] = field(default_factory=list)
    started: float = 0.0
    choose: Callable[[random.Random], str] = mixed_path  # the next path to ask for

    def run(self, halfway=None, started: float | None = None) -> "LoadRun":
        self.started = started or time.monotonic()
        stop_at = self.started + self.seconds
        lock = threading.Lock()

        def worker(seed: int) -> None:
            rng, client = random.Random(seed), Client(self.base_url)
            while time.monotonic() < stop_at:
                path = self.choose(rng)
                sent = time.monotonic()
                try:
                    status = client.get(path).status
                except OSError:
                    status = 0
                    client.close()
                sample = Sample(sent - self.started, (time.monotonic() - sent) * 1000, status, path)
                with lock:
                    self.samples.append(sample)

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(self.concurrency)]
        for thread in threads:
            thread.start()
        if halfway is not None:
            time.sleep(self.seconds / 2)
            halfway()
        for thread in threads:
            thread.join(timeout=self.seconds + 30)
        return self

    def summary(self, since: float = 0.0, until: float = float("inf")) -> dict:
        chosen = [s for s in self.samples if since <= s.at < until]
        errors = [s for s in chosen if not 200 <= s.status < 400]
        latencies = sorted(s.ms for s in chosen) or [0.0]
        span = max(min(until, self.seconds) - since, 0.001)
        return {
            "requests": len(chosen),
            "errors": len(errors),
            "req_s": round(len(chosen) / span, 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
            "error_samples": sorted({f"{s.status} {s.path}" for s in errors})[:5],
        }


def haproxy_status(stats_port: int) -> dict[str, str]:
    """Each app server's status as HAProxy sees it (UP, DOWN, …), from its stats CSV."""
    with urllib.request.urlopen(f"http://127.0.0.1:{stats_port}/stats;csv", timeout=2) as response:
        rows = csv.DictReader(io.StringIO(response.read().decode().lstrip("# ")))
        return {
            row["svname"]: row["status"] for row in rows if row["pxname"] == "app" and row["svname"].startswith("node")
        }


class StatusWatch:
    """Poll HAProxy every 100 ms; remember when each node was first seen DOWN."""

    def __init__(self, stats_port: int, started: float):
        self.stats_port, self.started = stats_port, started
        self.down_at: dict[str, float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)

    def poll(self) -> None:
        while not self.stopping.is_set():
            try:
                for name, status in haproxy_status(self.stats_port).items():
                    if status.startswith("DOWN") and name not in self.down_at:
                        self.down_at[name] = time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.1)

    def __enter__(self) -> "StatusWatch":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
