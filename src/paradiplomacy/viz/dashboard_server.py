"""The dashboard's HTTP machinery: a hardened standard-library server and a base handler.

``DashboardServer`` accepts connections on one thread and reads each request's head there,
without blocking (an idle or slow client costs a file descriptor, not a thread, and is
dropped when its ``timeout`` has passed since it connected); complete requests go to a fixed
pool of daemon worker threads. Bounded everywhere: the listen backlog, the connections waiting
for their request (the oldest dropped first), the queue of complete requests (then ``503``),
the threads. ``SecureHandler`` answers in JSON (errors too, never a traceback), adds the
security headers to every response, answers ``HEAD`` wherever ``GET`` is answered and hides
the Python version.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import io
import ipaddress
import json
import logging
import math
import queue
import re
import selectors
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

SERVER_NAME = "paradiplomacy-dashboard"
MAX_HEAD = 65536 + 16384  # request line + headers read before the handler sees the request
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                    ("Referrer-Policy", "no-referrer"),
                    ("Cross-Origin-Resource-Policy", "same-origin"),
                    ("Cross-Origin-Opener-Policy", "same-origin"))
_DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


def _default_max_pending() -> int:
    """Half the process's file-descriptor limit, at most 1024 (the rest is for everything else)."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Unix
        return 512
    if soft == resource.RLIM_INFINITY:
        return 1024
    return max(32, min(1024, soft // 2 - 32))


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


class _Pending:
    __slots__ = ("addr", "buf", "deadline")

    def __init__(self, addr: Any, deadline: float) -> None:
        self.addr, self.buf, self.deadline = addr, bytearray(), deadline


def _head_complete(buf: bytearray) -> bool:
    return b"\n\r\n" in buf or b"\n\n" in buf


class DashboardServer(HTTPServer):
    """A bounded HTTP server: one acceptor thread reads request heads without blocking, a
    fixed pool of daemon threads answers complete requests.

    ``timeout``: seconds a client has, from connecting, to send its request head, and the
    socket timeout of every later read or write; ``max_threads``: the worker pool;
    ``max_pending``: connections waiting for their request head (beyond it the oldest is
    dropped); ``max_queued``: complete requests waiting for a worker (beyond it ``503``).
    """

    request_queue_size = 1024  # listen backlog (the kernel may cap it at somaxconn)
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *,
                 timeout: float = 10.0, max_threads: int = 32, max_pending: int | None = None,
                 max_queued: int = 1024) -> None:
        if not (timeout > 0 and max_threads >= 1 and max_queued >= 1):
            raise ValueError("timeout must be positive, max_threads and max_queued at least 1")
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._workers: list[threading.Thread] = []  # started once bound (a failed bind closes)
        super().__init__(address, handler)
        self.conn_timeout = float(timeout)
        self.max_threads = max_threads
        self.max_pending = max_pending or _default_max_pending()
        self.max_queued = max_queued
        self.allowed_hosts: set[str] = set()  # extra Host names accepted on loopback
        self.timed_out = 0  # connections closed: no complete request head within the timeout
        self.evicted = 0  # connections closed to make room (max_pending, descriptors)
        self.refused = 0  # complete requests answered 503 because the queue was full
        self._jobs: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._workers = [threading.Thread(target=self._work, name=f"dashboard-worker-{i}",
                                          daemon=True) for i in range(max_threads)]
        for t in self._workers:
            t.start()

    # ---------------------------------------------------------------- the acceptor loop
    def serve_forever(self, poll_interval: float = 0.1) -> None:
        """Accept connections and read request heads until ``shutdown()``."""
        self._stopped.clear()
        pending: dict[socket.socket, _Pending] = {}
        sel = selectors.DefaultSelector()
        try:
            self.socket.setblocking(False)
            sel.register(self.socket, selectors.EVENT_READ, None)
            while not self._stop.is_set():
                for key, _ in sel.select(poll_interval):
                    try:
                        if key.data is None:
                            self._accept(sel, pending)
                        else:
                            self._read_head(sel, pending, key.fileobj)  # type: ignore[arg-type]
                    except Exception:  # a bug: that connection is lost, the server goes on
                        log.exception("dashboard: error accepting or reading a request")
                        if key.data is not None:
                            self._drop(sel, pending, key.fileobj)  # type: ignore[arg-type]
                now = time.monotonic()  # deadlines grow in accept order: oldest first
                while pending and next(iter(pending.values())).deadline <= now:
                    self._drop(sel, pending, next(iter(pending)))
                    self.timed_out += 1
        finally:
            for sock in list(pending):
                self._drop(sel, pending, sock)
            sel.close()
            self._stop.clear()
            self._stopped.set()

    def _accept(self, sel: selectors.BaseSelector, pending: dict) -> None:
        for _ in range(512):  # then let the reads and the timeouts have their turn
            try:
                sock, addr = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    for old in list(pending)[: max(1, len(pending) // 8)]:  # free descriptors
                        self._drop(sel, pending, old)
                        self.evicted += 1
                    if not pending:
                        time.sleep(0.01)  # all descriptors busy answering: no busy loop
                    return
                continue  # ECONNABORTED and the like: that client is gone
            if len(pending) >= self.max_pending:
                self._drop(sel, pending, next(iter(pending)))  # the oldest waiting
                self.evicted += 1
            sock.setblocking(False)
            pending[sock] = _Pending(addr, time.monotonic() + self.conn_timeout)
            sel.register(sock, selectors.EVENT_READ, True)

    def _read_head(self, sel: selectors.BaseSelector, pending: dict,
                   sock: socket.socket) -> None:
        p = pending.get(sock)
        if p is None:  # dropped earlier in this round of events
            return
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # closed (or reset) before a complete request
            self._drop(sel, pending, sock)
            return
        p.buf += data
        complete = _head_complete(p.buf)
        if not complete and len(p.buf) < MAX_HEAD:
            return
        sel.unregister(sock)
        del pending[sock]
        if not complete:
            self._refuse(sock, 431, "request head too large")
            return
        if self._jobs.qsize() >= self.max_queued:
            self.refused += 1
            self._refuse(sock, 503, "the dashboard is busy; try again")
            return
        self._jobs.put((sock, p.addr, bytes(p.buf)))

    def _drop(self, sel: selectors.BaseSelector, pending: dict, sock: socket.socket) -> None:
        pending.pop(sock, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            sel.unregister(sock)
        with contextlib.suppress(OSError):
            sock.close()

    def _refuse(self, sock: socket.socket, status: int, message: str) -> None:
        """A short error answer from the acceptor thread (never blocking), then close."""
        body = json_bytes({"error": message})
        head = "".join(f"{k}: {v}\r\n" for k, v in (
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))), ("Server", SERVER_NAME),
            ("Content-Security-Policy", JSON_CSP), *SECURITY_HEADERS,
            *((("Retry-After", "1"),) if status == 503 else ())))
        with contextlib.suppress(OSError):
            sock.send(f"HTTP/1.0 {status} {HTTPStatus(status).phrase}\r\n{head}\r\n".encode()
                      + body)
        self._close(sock)

    # ---------------------------------------------------------------- the workers
    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            sock, addr, head = job
            try:
                sock.setblocking(True)
                sock.settimeout(self.conn_timeout)
                self.RequestHandlerClass((sock, head), addr, self)  # type: ignore[arg-type]
            except _DISCONNECTS:
                pass
            except Exception:  # a bug: logged here, the connection closed
                log.exception("dashboard: unhandled error answering %s", addr)
            finally:
                self._close(sock)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        """Close after the response: read what the client already sent (a body the handler
        did not need) so the close is a FIN, not a reset that could lose the response."""
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            sock.setblocking(False)
            for _ in range(16):
                if not sock.recv(65536):
                    break
        with contextlib.suppress(OSError):
            sock.close()

    # ---------------------------------------------------------------- lifecycle
    def shutdown(self) -> None:
        """Stop ``serve_forever`` (from another thread) and wait until it has returned."""
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and let the worker threads end."""
        super().server_close()
        for _ in self._workers:
            self._jobs.put(None)
        for t in self._workers:
            t.join(timeout=0.05)


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
