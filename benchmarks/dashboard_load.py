"""Benchmark: the dashboard server under load and under slow clients.

Runs the server in this process on loopback (port chosen by the system) and

1. fires ``--requests`` requests from ``--clients`` concurrent clients (one connection per
   request, as the server speaks HTTP/1.0), a mix of /api/index with ten weightings of the
   default dataset, russia 2016 and /api/options, caches warm (the server, not the engine);
2. ``--unique`` more with weightings never asked before (every one computed by the engine);
3. opens ``--slow`` connections that send nothing (``--partial``: half a request head), then
   times one normal request while they are open, and counts how many of them the server has
   closed once ``--timeout`` has passed.

Clients run in the same process as the server (they share its interpreter lock), so the
figures are a lower bound of what the server does with clients elsewhere. Prints

    load: requests=<n> errors=<e> p50_ms=<x> p99_ms=<y> max_ms=<z> elapsed_s=<s> rps=<r>
    unique: requests=<n> errors=<e> p50_ms=<x> p99_ms=<y> max_ms=<z> elapsed_s=<s> rps=<r>
    slow: connections=<n> request_ms=<x> evicted_oldest=<e> closed_by_server=<c>/<n> \
timed_out=<t> after_s=<s> next_request_ms=<y>

(``request_ms``: the normal request while the idle connections are open; ``evicted_oldest``:
idle connections closed at once to stay within the server's ``max_pending``; the others are
closed when the timeout has passed.)

    python benchmarks/dashboard_load.py [--requests 10000] [--clients 50] [--slow 3000]
"""

from __future__ import annotations

import argparse
import http.client
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlencode

from paradiplomacy.viz.dashboard import serve


def raise_fd_limit() -> None:
    """The slow-clients check needs two descriptors per connection (both ends are here)."""
    try:
        import resource
    except ImportError:  # pragma: no cover
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY
                                                    else 65536, hard))


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        res = conn.getresponse()
        res.read()
        return res.status
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def load(port: int, n: int, clients: int, path_of: Callable[[int], str]) -> str:
    """``n`` requests from ``clients`` threads; request ``i`` asks ``path_of(i)``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def client() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            t = time.perf_counter()
            try:
                status = get(port, path_of(i))
                err = None if status == 200 else f"HTTP {status}"
            except Exception as exc:  # any failure is an error
                err = f"{type(exc).__name__}: {exc}"
            dt = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(dt)
                if err:
                    errors.append(err)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    if errors:
        print(f"  first errors: {sorted(set(errors))[:5]}")
    return (f"requests={len(latencies)} errors={len(errors)} "
            f"p50_ms={percentile(latencies, 0.50):.1f} p99_ms={percentile(latencies, 0.99):.1f} "
            f"max_ms={max(latencies, default=float('nan')):.1f} elapsed_s={elapsed:.2f} "
            f"rps={len(latencies) / elapsed:.0f}")


def slow_clients(server, n: int, timeout: float, partial: bool = False) -> str:
    """``n`` connections that send nothing (``partial``: half a request head); a normal
    request meanwhile and after."""
    port = server.server_port
    idle = []
    for _ in range(n):
        idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        if partial:
            idle[-1].sendall(b"GET /api/options HTTP/1.0\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.2)  # let the server accept them all
    t = time.perf_counter()
    status = get(port, "/api/options")
    during_ms = (time.perf_counter() - t) * 1000
    assert status == 200
    evicted = server.evicted
    start = time.monotonic()
    deadline = start + timeout * 2 + 5
    for s in idle:
        s.setblocking(False)
    closed: set[int] = set()
    while len(closed) < n and time.monotonic() < deadline:
        for i, s in enumerate(idle):
            if i in closed:
                continue
            try:
                if s.recv(1) == b"":
                    closed.add(i)
            except BlockingIOError:
                pass
            except OSError:
                closed.add(i)
        time.sleep(0.2)
    after = time.monotonic() - start
    for s in idle:
        s.close()
    t = time.perf_counter()
    assert get(port, "/api/options") == 200
    next_ms = (time.perf_counter() - t) * 1000
    return (f"connections={n} request_ms={during_ms:.1f} evicted_oldest={evicted} "
            f"closed_by_server={len(closed)}/{n} timed_out={server.timed_out} "
            f"after_s={after:.1f} next_request_ms={next_ms:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--unique", type=int, default=300)
    ap.add_argument("--slow", type=int, default=3000)
    ap.add_argument("--partial", action="store_true",
                    help="the slow clients send half a request head instead of nothing")
    ap.add_argument("--timeout", type=float, default=10.0, help="the server's timeout, s")
    args = ap.parse_args()
    raise_fd_limit()
    server = serve("127.0.0.1", 0, background=True, timeout=args.timeout)
    port = server.server_port
    paths = ["/api/index?" + urlencode({"w_fdi": f"{w / 10:.1f}"}) for w in range(1, 11)]
    paths += ["/api/options", "/api/index?" + urlencode({"dataset": "russia", "year": "2016"})]
    for p in paths:
        assert get(port, p) == 200, p
    try:
        print("load:", load(port, args.requests, args.clients, lambda i: paths[i % len(paths)]),
              flush=True)
        if args.unique:
            print("unique:", load(port, args.unique, args.clients, lambda i: "/api/index?"
                                  + urlencode({"w_trade": f"{1 + (i + 1) / 1000:.3f}"})),
                  flush=True)
        if args.slow:
            print("slow:", slow_clients(server, args.slow, args.timeout, args.partial),
                  flush=True)
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
