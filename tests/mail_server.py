"""A real SMTP server on 127.0.0.1 (aiosmtpd, an ephemeral port) that keeps what it receives.

    def test_…(smtp_server):              # pytest fixture (tests/conftest.py): Django sends to it
        …
        message = smtp_server.wait_for(1)[0]   # email.message.EmailMessage, parsed
        assert message["To"] == "…"

For unittest-style tests: `with SmtpServer() as server, server.settings():`.
"""

import contextlib
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller

from django.test import override_settings


def _free_port() -> int:
    """An ephemeral port nobody listens on (aiosmtpd checks it started by connecting, so not port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collector:
    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_DATA(self, _server, _session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.server.lock:
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.server.messages.append(message)
        if self.server.refuse:
            return "451 4.3.0 Try again later (test server refusing)"
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start on enter, stop on exit. Set `refuse = True` to answer every message with a 451 (a failed send)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.refuse = False
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=_free_port())

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    def settings(self):
        """Django settings that send mail here over SMTP."""
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        )

    def accepted(self) -> list[email.message.EmailMessage]:
        """The messages the server received and did not refuse, in order."""
        with self.lock:
            return [] if self.refuse else list(self.messages)

    def wait_for(self, count: int, seconds: float = 5) -> list[email.message.EmailMessage]:
        """The messages received so far, once there are at least `count` (AssertionError after `seconds`)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} message(s) at the SMTP server, got {len(self.messages)}")

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()


@contextlib.contextmanager
def running_smtp_server():
    with SmtpServer() as server, server.settings():
        yield server
