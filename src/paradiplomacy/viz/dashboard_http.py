"""The dashboard's HTTP answers: ``SecureHandler`` answers in JSON (errors too, never a
traceback), adds the security headers to every response, answers ``HEAD`` wherever ``GET``
is answered and hides the Python version; and the helpers both it and the server use (strict
JSON, the page's content-security policy, loopback addresses).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import ipaddress
import json
import logging
import math
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from paradiplomacy.viz.dashboard_server import DashboardServer

log = logging.getLogger(__name__)

SERVER_NAME = "paradiplomacy-dashboard"
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                    ("Referrer-Policy", "no-referrer"),
                    ("Cross-Origin-Resource-Policy", "same-origin"),
                    ("Cross-Origin-Opener-Policy", "same-origin"))



def page_csp(html: str) -> str:
    """A Content-Security-Policy for ``html``: only its own origin, and its inline ``<script>``
    and ``<style>`` blocks allowed by their SHA-256 hashes (so nothing injected runs)."""

    def hashes(tag: str) -> str:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)
        return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest())
                        .decode("ascii") + "'" for b in blocks) or "'none'"

    return (f"default-src 'self'; script-src {hashes('script')}; style-src {hashes('style')}; "
            "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")


def clean(obj: Any) -> Any:
    """``obj`` with every non-finite number as ``None`` and numpy scalars as Python ones."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str | bytes):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def json_bytes(obj: Any) -> bytes:
    """Strict JSON (no NaN or Infinity anywhere) as UTF-8."""
    return json.dumps(clean(obj), ensure_ascii=False, allow_nan=False).encode("utf-8")


def is_loopback(address: str) -> bool:
    """Whether a bound address only accepts connections from this machine."""
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


class BadRequest(ValueError):
    """A request the client got wrong: answered ``400`` with the message."""


class _PrefetchedReader(io.RawIOBase):
    """The bytes already read from a connection, then the connection itself."""

    def __init__(self, sock: socket.socket, head: bytes) -> None:
        self._sock, self._head = sock, memoryview(head)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._sock.recv_into(b)


class _SocketWriter(io.BufferedIOBase):
    """Unbuffered writes that send everything (or raise on the socket's timeout)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self._sock.sendall(b)
        return len(memoryview(b))



class SecureHandler(BaseHTTPRequestHandler):
    """HTTP/1.0, one request per connection; JSON answers and errors, security headers on
    every response, ``HEAD`` for every ``GET`` route, no version in ``Server``.

    Subclasses implement ``route(path, query) -> (status, body, content_type, csp)``."""

    server: DashboardServer
    server_version = SERVER_NAME
    sys_version = ""
    protocol_version = "HTTP/1.0"
    timeout: float | None = 10.0  # replaced by the server's in setup()
    _csp = JSON_CSP
    _head = False

    def version_string(self) -> str:
        """The Server header: the product's name, no version."""
        return SERVER_NAME

    def setup(self) -> None:
        """Wrap the accepted socket (with the request head already read) and set its timeout."""
        sock, head = self.request
        self.connection = sock
        self.timeout = self.server.conn_timeout
        sock.settimeout(self.timeout)
        self.rfile = io.BufferedReader(_PrefetchedReader(sock, head))
        self.wfile = _SocketWriter(sock)

    def finish(self) -> None:
        """Close the request's reader (the socket is closed by the server)."""
        with contextlib.suppress(OSError, ValueError):
            self.rfile.close()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        """Requests are not logged (a local tool; errors go to the server's log)."""
        pass

    def end_headers(self) -> None:
        """Every response carries the security headers and its content-security policy."""
        self.send_header("Content-Security-Policy", self._csp)
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def send(self, status: int, body: bytes, ctype: str = "application/json",
             csp: str = JSON_CSP, extra: tuple[tuple[str, str], ...] = ()) -> None:
        """One whole response (headers only for ``HEAD``)."""
        self._csp = csp
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if not self._head and status >= 200 and status not in (204, 304):
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Errors of the protocol layer (bad request line, too long, unknown method) as JSON."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        self.send(code, json_bytes({"error": message or phrase}))

    def _host_ok(self) -> bool:
        """On a loopback address only loopback Host names (against DNS rebinding)."""
        host = self.headers.get("Host")
        if host is None or not is_loopback(self.server.server_address[0]):
            return True
        host = host.strip().lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0]
        return (name in ("localhost", *self.server.allowed_hosts)
                or name.endswith(".localhost") or is_loopback(name))

    def _dispatch(self, head: bool) -> None:
        self._head = head
        if not self._host_ok():
            self.send(HTTPStatus.MISDIRECTED_REQUEST,
                      json_bytes({"error": "this dashboard answers only to localhost"}))
            return
        url = urlsplit(self.path)
        path, query = url.path, url.query
        try:
            status, body, ctype, csp = self.route(path, query)
        except BadRequest as exc:
            status, body, ctype, csp = 400, json_bytes({"error": str(exc)}), "application/json", \
                JSON_CSP
        except Exception:
            log.exception("dashboard: error answering %s", self.path)
            status, body, ctype, csp = 500, json_bytes(
                {"error": "internal error in the dashboard (details in its log)"}), \
                "application/json", JSON_CSP
        self.send(status, body, ctype, csp)

    def route(self, path: str, query: str) -> tuple[int, bytes, str, str]:  # pragma: no cover
        """The answer to a GET of path?query (status, body, type, policy); subclasses define it."""
        raise NotImplementedError

    def do_GET(self) -> None:
        """Answer a GET."""
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the GET's headers without its body."""
        self._dispatch(head=True)

    def _read_only(self) -> None:
        self.close_connection = True
        self.send(HTTPStatus.METHOD_NOT_ALLOWED,
                  json_bytes({"error": "the dashboard is read-only"}),
                  extra=(("Allow", "GET, HEAD"),))

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _read_only
