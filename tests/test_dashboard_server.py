"""The dashboard as a server: strict parameters (400 with a JSON message), strict JSON, the
security headers, HEAD, idle and slow clients dropped after the timeout, a bounded load."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from paradiplomacy.viz.dashboard import compute, serve

TIMEOUT = 0.6  # the server's per-connection timeout in these tests
ZEROS = {f"w_{k}": "0" for k in ("students", "fdi", "trade", "tourists")}


def strict_json(body: bytes):
    """Parse as JSON, refusing NaN, Infinity and -Infinity."""

    def refuse(name: str):
        raise AssertionError(f"{name} in the JSON")

    return json.loads(body.decode("utf-8"), parse_constant=refuse)


@pytest.fixture(scope="module")
def server() -> Iterator:
    s = serve("127.0.0.1", 0, background=True, timeout=TIMEOUT)
    yield s
    s.shutdown()
    s.server_close()


def request(server, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        res = conn.getresponse()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
    finally:
        conn.close()


def index(server, **params: str) -> tuple[int, dict[str, str], bytes]:
    return request(server, "/api/index?" + urlencode(params))


# ----------------------------------------------------------------------- parameters

BAD = {
    "nan-weight": {"w_fdi": "nan"},
    "nan-weight-caps": {"w_trade": "NaN"},
    "infinite-weight": {"w_fdi": "inf"},
    "overflowing-weight": {"w_fdi": "1e400"},
    "negative-weight": {"w_fdi": "-1"},
    "non-numeric-weight": {"w_fdi": "abc"},
    "empty-weight": {"w_fdi": ""},
    "spaced-weight": {"w_fdi": " 1"},
    "huge-weight": {"w_fdi": "1e9"},
    "all-zero-weights": ZEROS,
    "all-zero-present-weights": {"dataset": "russia", "year": "2013", "w_fdi": "0",
                                 "w_trade": "0"},
    "bad-family": {"family": "total"},
    "bad-normalisation": {"normalisation": "zscore"},
    "bad-aggregation": {"aggregation": "median"},
    "bad-dataset": {"dataset": "atlantis"},
    "empty-dataset": {"dataset": ""},
    "bad-year": {"dataset": "russia", "year": "1800"},
    "non-numeric-year": {"dataset": "russia", "year": "2016a"},
    "year-of-other-dataset": {"dataset": "far-east-2013", "year": "2016"},
    "unknown-parameter": {"colour": "red"},
    "unknown-weight": {"w_gdp": "1"},
}


@pytest.mark.parametrize("params", BAD.values(), ids=BAD.keys())
def test_bad_parameters_are_400_with_a_json_message(server, params):
    status, headers, body = index(server, **params)
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    error = strict_json(body)["error"]
    assert isinstance(error, str) and error
    assert "Traceback" not in error


def test_the_error_names_what_is_wrong(server):
    assert "colour" in strict_json(index(server, colour="red", size="9")[2])["error"]
    assert "size" in strict_json(index(server, colour="red", size="9")[2])["error"]
    assert "w_fdi" in strict_json(index(server, w_fdi="nan")[2])["error"]
    assert "zero" in strict_json(index(server, **ZEROS)[2])["error"]
    assert "total" in strict_json(index(server, family="total")[2])["error"]
    status, _, body = request(server, "/api/index?dataset=russia&dataset=far-east-2013")
    assert status == 400 and "more than once" in strict_json(body)["error"]
    status, _, body = request(server, "/api/index?justaword")
    assert status == 400 and "malformed" in strict_json(body)["error"]
    status, _, body = request(server, "/api/options?x=1")
    assert status == 400 and strict_json(body)["error"]


GOOD = {
    "defaults": {},
    "page-default": {"dataset": "far-east-2013", "year": "2013", "family": "overall",
                     "normalisation": "share_of_max", "aggregation": "sum",
                     "w_students": "1", "w_fdi": "1", "w_trade": "1", "w_tourists": "1"},
    "one-weight-left": {**ZEROS, "w_tourists": "0.1"},
    "per-capita-gmean-rank": {"family": "pc", "aggregation": "gmean", "normalisation": "rank"},
    "russia-2013-two-components": {"dataset": "russia", "year": "2013", "aggregation": "amean",
                                   "normalisation": "minmax"},
    "russia-2016": {"dataset": "russia", "year": "2016", "w_fdi": "2.5", "w_trade": "0"},
}


@pytest.mark.parametrize("params", GOOD.values(), ids=GOOD.keys())
def test_good_parameters_give_strict_json(server, params):
    status, _, body = index(server, **params)
    assert status == 200, body
    data = strict_json(body)
    assert data["rows"] and all(isinstance(r["score"], float | int) for r in data["rows"])
    assert [r["rank"] for r in data["rows"]] == sorted(r["rank"] for r in data["rows"])


def test_compute_refuses_bad_weights_and_family():
    w = {"students": 1.0, "fdi": 1.0, "trade": 1.0, "tourists": 1.0}
    for bad in ({**w, "fdi": float("nan")}, {**w, "fdi": -1.0},
                dict.fromkeys(w, 0.0), {**w, "fdi": float("inf")}):
        with pytest.raises(ValueError):
            compute("far-east-2013", "overall", "share_of_max", "sum", bad)
    with pytest.raises(ValueError, match="family"):
        compute("far-east-2013", "bogus", "share_of_max", "sum", w)


def test_every_route_answers_strict_json_or_the_page(server):
    for path in ("/api/options", "/api/map", "/api/index", "/nope"):
        status, headers, body = request(server, path)
        assert headers["content-type"].startswith("application/json")
        strict_json(body)
    status, headers, body = request(server, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"<script>" in body


# ----------------------------------------------------------------------- headers, methods

def test_security_headers_on_every_response(server):
    cases = [("GET", "/"), ("GET", "/api/options"), ("GET", "/api/index"),
             ("GET", "/api/index?w_fdi=nan"), ("GET", "/nope"), ("HEAD", "/"),
             ("POST", "/api/index"), ("DELETE", "/")]
    for method, path in cases:
        _, h, _ = request(server, path, method)
        assert h["x-content-type-options"] == "nosniff", (method, path)
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    csp = request(server, "/")[1]["content-security-policy"]
    assert "default-src 'self'" in csp and "'sha256-" in csp


def test_page_csp_matches_its_inline_blocks(server):
    import base64
    import hashlib
    import re

    _, headers, body = request(server, "/")
    html = body.decode("utf-8")
    csp = headers["content-security-policy"]
    for tag in ("script", "style"):
        for block in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp
    assert " style=" not in html  # inline style attributes would be blocked
    assert ".innerHTML" not in html and "insertAdjacentHTML" not in html


def test_server_header_has_no_version(server):
    for path in ("/", "/api/options", "/nope"):
        value = request(server, path)[1]["server"]
        assert "Python" not in value and "/" not in value and not any(c.isdigit()
                                                                     for c in value)


def test_head_answers_every_get_route_without_a_body(server):
    for path in ("/", "/api/options", "/api/map", "/api/index", "/api/index?w_fdi=x",
                 "/nope"):
        g_status, g_headers, g_body = request(server, path)
        h_status, h_headers, h_body = request(server, path, "HEAD")
        assert h_status == g_status and h_body == b""
        assert h_headers["content-length"] == str(len(g_body))
        assert h_headers["content-type"] == g_headers["content-type"]


def test_other_methods_are_405_json(server):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        status, headers, body = request(server, "/api/index", method)
        assert status == 405 and "GET" in headers["allow"]
        assert strict_json(body)["error"]
    status, _, body = request(server, "/", "BREW")
    assert status == 501 and strict_json(body)["error"]


def test_foreign_host_header_is_refused_on_loopback(server):
    """A DNS-rebinding page (Host: evil.example) cannot read the API."""
    status, _, body = request(server, "/api/options", headers={"Host": "evil.example"})
    assert status == 421 and strict_json(body)["error"]
    for host in ("localhost:1234", "127.0.0.1", "[::1]:80"):
        assert request(server, "/api/options", headers={"Host": host})[0] == 200


def test_a_bug_is_a_json_500_without_traceback(server, monkeypatch):
    from paradiplomacy.viz import dashboard

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(dashboard, "compute", broken)
    dashboard._index_json.cache_clear()
    status, _, body = index(server, w_fdi="0.7")
    dashboard._index_json.cache_clear()
    assert status == 500
    error = strict_json(body)["error"]
    assert "secret" not in error and "Traceback" not in error


# ----------------------------------------------------------------------- slow clients

def test_idle_connection_is_closed_after_the_timeout(server):
    with socket.create_connection(("127.0.0.1", server.server_port)) as s:
        s.settimeout(TIMEOUT * 10)
        t = time.monotonic()
        assert s.recv(1024) == b""  # closed by the server, nothing sent
        assert TIMEOUT * 0.8 <= time.monotonic() - t < TIMEOUT * 5


def test_slow_request_head_is_closed_after_the_timeout(server):
    """A client trickling its request (slowloris) has the timeout in all, not per byte."""
    with socket.create_connection(("127.0.0.1", server.server_port)) as s:
        t = time.monotonic()
        s.sendall(b"GET / HTTP/1.0\r\n")
        s.settimeout(TIMEOUT / 4)
        answer = None
        while answer is None and time.monotonic() - t < TIMEOUT * 5:
            try:
                s.sendall(b"X-A: b\r\n")  # one header line every TIMEOUT / 4 seconds
                answer = s.recv(1024)
            except TimeoutError:
                continue
            except OSError:  # reset: closed by the server
                answer = b""
        assert answer == b""
        assert TIMEOUT * 0.8 <= time.monotonic() - t < TIMEOUT * 5


def test_oversized_request_head_is_431_json(server):
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as s:
        s.sendall(b"GET / HTTP/1.0\r\n" + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 431") and b"nosniff" in head
    assert strict_json(body)["error"]


def test_idle_clients_do_not_block_others(server):
    idle = [socket.create_connection(("127.0.0.1", server.server_port)) for _ in range(200)]
    try:
        t = time.monotonic()
        assert request(server, "/api/options")[0] == 200
        assert time.monotonic() - t < TIMEOUT  # answered before the idle ones time out
    finally:
        for s in idle:
            s.close()


# ----------------------------------------------------------------------- load

def test_bounded_load_every_request_answered(server):
    clients, per_client = 50, 40
    paths = ["/api/index?" + urlencode({"w_fdi": str(w / 10)}) for w in range(1, 11)]
    paths += ["/api/options", "/api/index?" + urlencode({"dataset": "russia", "year": "2016"})]
    for p in paths:  # warm the caches: the test is of the server, not of the engine
        assert request(server, p)[0] == 200
    results: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        for j in range(per_client):
            path = paths[(i + j) % len(paths)]
            try:
                status, _, body = request(server, path)
                strict_json(body)
                with lock:
                    results.append(status)
            except Exception as exc:  # any failure counts
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    elapsed = time.monotonic() - t
    assert errors == []
    assert len(results) == clients * per_client and set(results) == {200}
    assert elapsed < 30


def test_non_loopback_bind_warns(capsys):
    s = serve("0.0.0.0", 0, background=True, timeout=TIMEOUT)
    try:
        assert "warning" in capsys.readouterr().err
    finally:
        s.shutdown()
        s.server_close()
    s = serve("127.0.0.1", 0, background=True, timeout=TIMEOUT)
    try:
        assert "warning" not in capsys.readouterr().err
    finally:
        s.shutdown()
        s.server_close()
