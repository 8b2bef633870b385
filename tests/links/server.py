"""A real HTTP server on 127.0.0.1 (ephemeral port) that answers the way orders' sites do."""

import queue
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# A test-only CA (its key was thrown away) and a certificate for "orders.example" it signed.
TLS_DIR = Path(__file__).resolve().parent / "tls"
TEST_CA = str(TLS_DIR / "ca.pem")

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
# Hostile answers (LinkServer.streamed reports how much of each the server managed to send):
# /trickle sends its status line and headers one byte every LinkServer.trickle_seconds;
# /huge answers HEAD with 405 and GET with a HUGE_BODY-byte body; /huge-headers sends 160 kB of headers.
HUGE_BODY = 64 * 1024 * 1024
TRICKLED_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: " + b"." * 400 + b"\r\n\r\n"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # tests never print
        pass

    def answer(self, with_body: bool) -> None:
        server: LinkServer = self.server.owner
        path = self.path.split("?")[0]
        server.requests.append((self.command, path, time.monotonic()))
        server.host_headers.append(self.headers.get("Host", ""))
        if path in ("/trickle", "/huge", "/huge-headers") and not (path == "/huge" and self.command == "HEAD"):
            self.stream(path, server)
            return
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

    def stream(self, path: str, server: "LinkServer") -> None:
        """Send a hostile answer; report how many bytes went out and whether the client hung up first."""
        # A small send buffer, so that what the server "sent" is close to what the client received.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
        if path == "/trickle":
            chunks = (TRICKLED_HEADERS[i : i + 1] for i in range(len(TRICKLED_HEADERS)))
            pause, total = server.trickle_seconds, len(TRICKLED_HEADERS)
        elif path == "/huge":
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {HUGE_BODY}\r\n\r\n"
            chunks = (head.encode() if i < 0 else b"%" * 65536 for i in range(-1, HUGE_BODY // 65536))
            pause, total = 0, len(head) + HUGE_BODY
        else:
            headers = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"x" * 4000) for i in range(40))
            answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + headers + b"\r\n"
            chunks = (answer[i : i + 16384] for i in range(0, len(answer), 16384))
            pause, total = 0, len(answer)
        sent, cut = 0, False
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
                sent += len(chunk)
                time.sleep(pause)
        except OSError:  # BrokenPipeError, ConnectionResetError: the client hung up
            cut = True
        self.close_connection = True
        server.streamed.put((path, sent, cut, total))

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)


class LinkServer:
    """Start with `with LinkServer() as server:`; server.url("/ok") is an address on it."""

    def __init__(self, slow_seconds: float = 3.0, trickle_seconds: float = 0.05, tls: bool = False):
        self.routes = dict(DEFAULT_ROUTES)
        self.requests: list[tuple[str, str, float]] = []
        self.slow_seconds = slow_seconds
        self.trickle_seconds = trickle_seconds
        self.streamed: queue.Queue[tuple[str, int, bool, int]] = queue.Queue()
        self.host_headers: list[str] = []
        self.server_names: list[str | None] = []  # the TLS SNI of each handshake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.owner = self
        self.scheme = "https" if tls else "http"
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(TLS_DIR / "orders.example.pem")
            context.sni_callback = lambda _sock, name, _context: self.server_names.append(name)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LinkServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def next_stream(self) -> tuple[str, int, bool, int]:
        """The next hostile answer: (path, bytes sent, whether the client hung up first, size of the whole answer)."""
        return self.streamed.get(timeout=30)

    def paths_requested(self) -> list[str]:
        return [path for _method, path, _at in self.requests]


def refused_url(path: str = "/") -> str:
    """An address on 127.0.0.1 where nothing listens (the port was just released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
