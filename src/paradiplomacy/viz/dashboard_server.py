"""The dashboard's HTTP server: hardened, standard library only.

``DashboardServer`` accepts connections on one thread and reads each request's head there,
without blocking (an idle or slow client costs a file descriptor, not a thread, and is
dropped when its ``timeout`` has passed since it connected); complete requests go to a fixed
pool of daemon worker threads. Bounded everywhere: the listen backlog, the connections waiting
for their request (the oldest dropped first), the queue of complete requests (then ``503``),
the threads. The handler is ``dashboard_http.SecureHandler``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import queue
import selectors
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from paradiplomacy.viz.dashboard_http import (
    JSON_CSP,
    SECURITY_HEADERS,
    SERVER_NAME,
    json_bytes,
)

log = logging.getLogger(__name__)

MAX_HEAD = 65536 + 16384  # request line + headers read before the handler sees the request
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


