"""The dashboard and the report in a real browser: headless Chromium (Debian's) driven by
Playwright. CI installs Chromium; elsewhere these tests skip when it is missing."""

from __future__ import annotations

import os
import shutil
import socket

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("CI") and not CHROMIUM:  # pragma: no cover
    raise RuntimeError("CI must run the browser tests: install Debian's chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def dashboard():
    from paradiplomacy.viz.dashboard import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = serve("127.0.0.1", port, background=True)
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


def test_dashboard_map_and_weights(browser, dashboard):
    """Under the server's Content-Security-Policy (the page's waits are functions, not strings:
    the policy forbids eval): nothing blocked, nothing fetched from elsewhere."""
    page = browser.new_page()
    outside, console = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(dashboard)
            else None)
    page.on("console", lambda m: console.append(m.text))
    page.goto(dashboard)
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    assert page.locator("#ranking tbody tr").count() == 9
    assert page.locator("#map path.region").count() == 83
    with_data = page.locator("#map path.region[data-has-data='1']")
    assert with_data.count() == 9
    codes = set(with_data.evaluate_all("els => els.map(e => e.dataset.code)"))
    assert codes == {"RU-SA", "RU-KHA", "RU-KAM", "RU-PRI", "RU-AMU", "RU-MAG", "RU-SAK",
                     "RU-YEV", "RU-CHU"}
    first = page.locator("#ranking tbody tr").first.get_attribute("data-code")
    assert first == "RU-PRI"  # Table 4.1, overall
    # weight the tourists component up and FDI and trade down: Khabarovsk leads
    page.locator("#w_tourists").fill("3")
    page.locator("#w_trade").fill("0")
    page.locator("#w_fdi").fill("0")
    page.wait_for_function("() => document.querySelector('#ranking tbody tr').dataset.code "
                           "=== 'RU-KHA'", timeout=15_000)
    assert page.locator("#ranking tbody tr").first.get_attribute("data-code") == "RU-KHA"
    assert outside == []
    assert not [m for m in console if "Content Security Policy" in m]
    page.close()


def test_dashboard_zero_weights_show_the_error_and_keep_the_table(browser, dashboard):
    page = browser.new_page()
    page.goto(dashboard)
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    for k in ("students", "fdi", "trade", "tourists"):
        page.locator(f"#w_{k}").fill("0")
    page.wait_for_function("() => document.querySelector('#error').textContent.includes("
                           "'zero')", timeout=15_000)
    assert page.locator("#ranking tbody tr").count() == 9  # the last good table stays
    page.locator("#w_fdi").fill("1")
    page.wait_for_function("() => document.querySelector('#error').textContent === ''",
                           timeout=15_000)
    assert page.locator("#ranking tbody tr").first.get_attribute("data-code") == "RU-SAK"
    page.close()


def test_dashboard_dataset_and_year_selectors(browser, dashboard):
    """The russia dataset: every subject in 2016 (four components, students and tourists as
    labelled proxies), then 2013 with the two components that exist."""
    page = browser.new_page()
    page.goto(dashboard)
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    page.select_option("#dataset", "russia")
    page.wait_for_function("() => document.querySelectorAll('#ranking tbody tr').length "
                           "=== 85", timeout=20_000)
    assert page.locator("#year").input_value() == "2016"
    assert "PROXIES" in page.locator("#source").inner_text()
    assert page.locator("#map path.region[data-has-data='1']").count() == 83  # all drawn
    assert page.locator("#ranking tbody tr").first.get_attribute("data-code") == "RU-MOW"
    page.select_option("#year", "2013")
    page.wait_for_function("() => document.querySelector('#source').textContent.includes("
                           "'components with data: fdi, trade')", timeout=20_000)
    assert page.locator("#ranking tbody tr").count() == 83  # Crimea, Sevastopol from 2014
    page.close()


def test_dashboard_is_read_only(dashboard):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(dashboard + "api/index", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 405


def open_offline(browser, path):
    """Open a local file, recording every request the page makes."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, requests


def network(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(("file://", "data:"))]


def test_report_opens_without_network(browser, cli, tmp_path):
    out = tmp_path / "report.html"
    assert cli("report", "--output", str(out)).exit_code == 0
    page, requests = open_offline(browser, out)
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Regional internationalization index"
    assert page.locator("img").count() >= 4
    widths = page.locator("img").evaluate_all("els => els.map(e => e.naturalWidth)")
    assert all(w > 200 for w in widths)  # every embedded figure decoded
    assert network(requests) == []
    page.close()


def test_interactive_map_works_offline(browser, cli, tmp_path):
    out = tmp_path / "map.html"
    assert cli("map", "--output", str(out)).exit_code == 0
    page, requests = open_offline(browser, out)
    page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=20_000)
    traces = page.evaluate("document.querySelector('.js-plotly-plot').data.length")
    assert traces == 84  # 83 regions + the colour bar
    named = page.evaluate("document.querySelector('.js-plotly-plot').data"
                          ".filter(t => t.text && !String(t.text).includes('no data')).length")
    assert named == 9  # the nine Far Eastern regions with data
    assert network(requests) == []
    page.close()
