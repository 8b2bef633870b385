"""A real HTTP server on 127.0.0.1 (ephemeral port) that answers the way orders' sites do."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# path → (status, Location or None); the server's answers can be changed while it runs.
DEFAULT_ROUTES = {
    "/ok": (200, None),
    "/plaintes/": (200, None),
    "/complaints/": (200, None),
    "/moved": (301, "/ok"),
    "/moved-twice": (308, "/moved"),
    "/temporary": (302, "/ok"),
    "/to-home": (301, "/"),
    "/": (200, None),
    "/loop": (301, "/loop"),
    "/gone": (404, None),
    "/error": (500, None),
    "/slow": (200, None),
    "/no-head": (200, None),
    "/outside": (301, "http://example.invalid/page"),
    "/late-redirect": (301, "/slow"),
    "/bad-location": (301, "http://[broken/"),
}
# path → seconds to wait before answering (/slow waits LinkServer.slow_seconds).
DELAYS = {"/late-redirect": 0.4}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # tests never print
        pass

    def answer(self, with_body: bool) -> None:
        server: LinkServer = self.server.owner
        path = self.path.split("?")[0]
        server.requests.append((self.command, path, time.monotonic()))
        time.sleep(server.slow_seconds if path == "/slow" else DELAYS.get(path, 0))
        if path == "/no-head" and self.command == "HEAD":
            status, location = 405, None
        else:
            status, location = server.routes.get(path, (404, None))
        body = b"<!doctype html><title>test</title><p>ok</p>"
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the checker gave up waiting
            pass

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)


class LinkServer:
    """Start with `with LinkServer() as server:`; server.url("/ok") is an address on it."""

    def __init__(self, slow_seconds: float = 3.0):
        self.routes = dict(DEFAULT_ROUTES)
        self.requests: list[tuple[str, str, float]] = []
        self.slow_seconds = slow_seconds
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LinkServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def paths_requested(self) -> list[str]:
        return [path for _method, path, _at in self.requests]


def refused_url(path: str = "/") -> str:
    """An address on 127.0.0.1 where nothing listens (the port was just released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
