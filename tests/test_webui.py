"""The web UI in a real headless browser, against the real server over a store of ingested articles.

The browser tests skip when Chromium is not installed, unless EVENTWIRE_REQUIRE_BROWSER=1 (CI), which makes them
fail instead; EVENTWIRE_CHROMIUM names another Chromium binary. Screenshots of every page are written to
build/screenshots/.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from eventwire.ingest import ingest
from eventwire.pipeline import Pipeline
from eventwire.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path(os.environ.get("EVENTWIRE_CHROMIUM", "/usr/bin/chromium"))
# Nothing may be fetched from the network: no updates, no sync, no QUIC probes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "analyst-token-for-tests"
TIMEOUT_MS = 15_000
XSS_TITLE = '<img src=x onerror="window.__xss=1"> Egypt hosts talks between Israel and Hamas in Cairo'

# Short news reports besides the bundled example: events between several dyads, located in four cities, and an
# article whose title and text carry markup that must be shown as text.
ARTICLES = {
    "warsaw.txt": """date 2024-03-05 Ukraine and Poland sign a grain transit agreement in Warsaw

Ukrainian Prime Minister Denys Shmyhal met Polish Prime Minister Donald Tusk in Warsaw on Tuesday. The two \
governments signed an agreement on the transit of Ukrainian grain through Polish ports.

Tusk praised the Ukrainian government for its cooperation. Shmyhal thanked Poland for its support.

"We will keep our borders open to trade," Tusk told reporters in Warsaw.
""",
    "kharkiv.txt": """date 2024-03-07 Russian forces shell Kharkiv as Kyiv accuses Moscow of war crimes

Russian forces shelled Kharkiv on Thursday, killing four civilians, the regional governor said.

Ukraine accused Russia of war crimes. The Ukrainian foreign ministry condemned the attack and called on the \
United Nations to act.

The Kremlin rejected the accusations. Russian troops also attacked Ukrainian positions near Bakhmut.
""",
    "cairo.txt": f"""date 2024-03-09 {XSS_TITLE}

Egyptian officials hosted talks between Israel and Hamas in Cairo on Saturday. Egypt urged Israel to allow more \
aid into Gaza. <script>window.__xss = 2</script>

Israeli troops raided the West Bank city of Jenin, the Palestinian health ministry said. Qatar condemned the raid.
""",
}


def _need_browser_stack() -> None:
    """Skip (or fail, when CI requires the browser) unless Chromium, Playwright and the server are available."""
    missing = [m for m in ("playwright", "fastapi", "uvicorn") if importlib.util.find_spec(m) is None]
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    if missing:
        message = f"browser tests need {', '.join(missing)}"
        if os.environ.get("EVENTWIRE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _need_server_stack() -> None:
    """Skip (or fail, when CI requires the browser) unless the web framework is installed."""
    missing = [m for m in ("fastapi", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        message = f"the server needs {', '.join(missing)}"
        if os.environ.get("EVENTWIRE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


# --- the server ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, seed_path: Path) -> Path:
    """A store holding the bundled example and the short reports above, ingested with the real pipeline."""
    folder = tmp_path_factory.mktemp("webui")
    articles = folder / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    path = folder / "events.duckdb"
    with Store(path) as store:
        summary = ingest([str(seed_path), str(articles)], store, pipeline)
    assert summary.failed == 0
    return path


@dataclass
class Server:
    """The app served by uvicorn on a loopback port, in a thread of the test process."""

    url: str
    host: str
    port: int


def _free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[Server]:
    """`eventwire serve`'s app over the test store, with a token required for corrections."""
    _need_server_stack()
    import uvicorn

    from eventwire.api.app import create_app

    port = _free_port()
    app = create_app(database, token=TOKEN)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", "127.0.0.1", port)
    uv.should_exit = True
    thread.join(timeout=10)


def _raw_get(
    server: Server, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET a path sent exactly as written (no client-side normalisation of `..`)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _api(server: Server, path: str) -> Any:
    """The JSON an API path returns."""
    status, _, body = _raw_get(server, path)
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


# --- serving --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/events/x", "/articles", "/articles/x", "/timelines", "/network", "/map"]
)
def test_every_page_serves_the_shell_with_a_strict_policy(server: Server, path: str) -> None:
    """Each page is the HTML shell, with scripts allowed from the server alone."""
    status, headers, body = _raw_get(server, path)
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert b'<script type="module" src="/static/js/main.js">' in body


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/static/js/main.js", "javascript"),
        ("/static/app.css", "text/css"),
        ("/static/vendor/echarts.esm.min.js", "javascript"),
        ("/static/data/world-110m.geojson", "json"),
    ],
)
def test_assets_are_served_with_their_types(server: Server, path: str, kind: str) -> None:
    """Scripts, styles and the map outline come from the package, typed so that browsers accept them."""
    status, headers, _ = _raw_get(server, path)
    assert status == 200
    assert kind in headers["content-type"]


def test_the_chart_library_is_sent_compressed(server: Server) -> None:
    """Browsers that accept gzip get the megabyte of chart library in far fewer bytes."""
    status, headers, body = _raw_get(server, "/static/vendor/echarts.esm.min.js", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert len(body) < 500_000


def test_the_world_outline_is_geojson_of_the_countries(server: Server) -> None:
    """The map's outline ships with the package: a GeoJSON feature collection of named countries."""
    world = _api(server, "/static/data/world-110m.geojson")
    assert world["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in world["features"]}
    assert {"Ukraine", "Poland", "Egypt", "Russia"} <= names
    assert len(names) > 150


@pytest.mark.parametrize(
    "path",
    [
        "/static/../__init__.py",
        "/static/%2e%2e/__init__.py",
        "/static/..%2f__init__.py",
        "/static/%2e%2e%2f%2e%2e%2fstore.py",
        "/static/js/../../__init__.py",
        "/static/..\\__init__.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/....//__init__.py",
    ],
)
def test_static_files_cannot_escape_their_folder(server: Server, path: str) -> None:
    """No path, however encoded, reads a file outside the UI's static folder."""
    status, _, body = _raw_get(server, path)
    assert status in (400, 404), (path, status)
    assert b"def mount" not in body
    assert b"root:" not in body


# --- the browser ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    _need_browser_stack()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Tab:
    """A browser page with what went wrong in it: script errors, console errors, requests off the machine."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        """Open a path of the server and wait until the page has its data."""
        self.page.goto(self.base + path)
        self.settle()

    def settle(self) -> None:
        """Wait until the page the router shows has its data (it marks the main region busy until then)."""
        self.page.wait_for_selector("main[aria-busy=false]", state="attached")

    def shot(self, name: str) -> None:
        """Save a full-page screenshot as a test artefact."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def tab(browser: Any, server: Server) -> Iterator[Tab]:
    """A fresh browser context (empty session storage) whose requests never leave the loopback server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = Tab(context.new_page(), server.url)

    def guard(route: Any) -> None:
        """Let requests to the test server through and refuse any other (the UI must work offline)."""
        if route.request.url.startswith(server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            tab.offsite.append(route.request.url)
            route.abort()

    def console(message: Any) -> None:
        """Keep the console's errors (CSP violations and failed loads are reported there)."""
        if message.type == "error":
            tab.errors.append(f"console: {message.text}")

    context.route("**/*", guard)
    tab.page.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))
    tab.page.on("console", console)
    yield tab
    context.close()
    assert not tab.offsite, tab.offsite


def _clean(tab: Tab, expected: tuple[str, ...] = ()) -> None:
    """No script errors, CSP violations or failed loads besides the expected HTTP statuses."""
    unexpected = [e for e in tab.errors if not any(code in e for code in expected)]
    assert not unexpected, unexpected


def _event_with_mentions(server: Server, code_prefix: str = "") -> dict[str, Any]:
    """An event of the store (optionally of a CAMEO code prefix) with the most mentions."""
    items = _api(server, f"/api/events?sort=mentions&order=desc&limit=50&code={code_prefix}")["items"]
    assert items
    return dict(items[0])


def _article_id(server: Server, words: str) -> str:
    """The id of the article whose title has these words."""
    items = _api(server, "/api/articles?limit=50")["items"]
    return next(str(a["id"]) for a in items if words in (a["title"] or ""))


def test_explorer_lists_filters_and_sorts_events(tab: Tab, server: Server) -> None:
    """The explorer lists events, narrows them with the filter form, and sorts by a column header."""
    tab.goto("/")
    rows = tab.page.locator("#events-table tbody tr")
    rows.first.wait_for()
    total = len(_api(server, "/api/events?limit=200")["items"])
    assert rows.count() == total
    tab.shot("explorer")

    tab.page.fill("input[name=actor]", "rusmil")
    tab.page.click("form.filters button[type=submit]")
    tab.page.wait_for_url("**/?actor=RUSMIL*")
    tab.settle()
    assert 0 < rows.count() < total
    for text in rows.all_inner_texts():
        assert "RUS" in text or "Russia" in text

    tab.page.click("th a[data-sort=goldstein]")
    tab.page.wait_for_url("**sort=goldstein&order=desc*")
    tab.settle()
    assert tab.page.get_attribute("th:has(a[data-sort=goldstein])", "aria-sort") == "descending"
    scores = [float(s) for s in tab.page.locator("#events-table tbody tr td:nth-child(6)").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    tab.shot("explorer-filtered")
    _clean(tab)


def test_explorer_loads_more_with_the_cursor(tab: Tab) -> None:
    """Short pages are extended by "Load more" until the API says there is no next page."""
    tab.goto("/?limit=4")
    rows = tab.page.locator("#events-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 4
    tab.page.click("button.load-more")
    tab.page.locator("#events-table tbody tr:nth-child(8)").wait_for()
    ids = tab.page.eval_on_selector_all("#events-table tbody tr", "rows => rows.map(r => r.dataset.id)")
    assert len(set(ids)) == 8
    _clean(tab)


def test_an_event_shows_its_mentions_with_highlighted_spans(tab: Tab, server: Server) -> None:
    """Clicking an event opens it: each mention's sentence with its trigger, source and target highlighted."""
    event = _event_with_mentions(server)
    detail = _api(server, f"/api/events/{event['id']}")
    tab.goto("/")
    tab.page.click(f"#events-table tr[data-id='{event['id']}'] a.event-link")
    tab.page.wait_for_url(f"**/events/{event['id']}")
    tab.settle()
    mentions = tab.page.locator("ol.mentions > li")
    mentions.first.wait_for()
    assert mentions.count() == len(detail["mentions"])
    first = detail["mentions"][0]
    trigger = first["sentence_text"][
        first["trigger_start"] - first["sentence_start"] : first["trigger_end"] - first["sentence_start"]
    ]
    shown = tab.page.locator(f"li.mention[data-id='{first['id']}'] .hl-trigger").all_inner_texts()
    assert "".join(shown) == trigger
    assert tab.page.locator("ol.mentions .hl-source").count() > 0
    assert tab.page.locator("h1#event-title").inner_text().startswith(event["code"])
    tab.shot("event")
    _clean(tab)


def test_the_article_reader_highlights_actors_triggers_quotes_and_places(tab: Tab, server: Server) -> None:
    """The reader marks every kind of span with its own style and a legend; a trigger links to its event."""
    article_id = _article_id(server, "Netanyahu interrupted")
    data = _api(server, f"/api/articles/{article_id}")
    tab.goto(f"/articles/{article_id}")
    text = tab.page.locator("article.article-text")
    text.wait_for()
    assert text.inner_text().strip() == data["article"]["text"].strip()
    for kind in ("actor", "trigger", "quote", "place"):
        assert tab.page.locator(f"article .hl-{kind}").count() > 0, kind
        assert tab.page.locator(f"ul.legend .hl-{kind}").count() == 1, kind
    look = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.fontStyle, s.borderBottomStyle].join(' '); }"
    styles = {
        kind: tab.page.eval_on_selector(f"ul.legend .hl-{kind}", look)
        for kind in ("actor", "trigger", "quote", "place")
    }
    assert len(set(styles.values())) == 4, styles
    tab.shot("article")

    tab.page.locator("article a.hl-trigger").first.click()
    tab.page.wait_for_url("**/events/*")
    tab.settle()
    tab.page.locator("ol.mentions > li").first.wait_for()
    _clean(tab)


def test_a_dyad_timeline_draws_a_chart_with_data(tab: Tab, server: Server) -> None:
    """The dyad timeline draws its periods on a canvas, with the numbers in a table too."""
    event = _event_with_mentions(server, "04")
    source, target = event["source"][0], event["target"][0]
    tab.goto(f"/timelines?source={source}&target={target}&interval=day")
    chart = tab.page.locator("#timeline-chart[data-points]")
    chart.wait_for()
    assert int(chart.get_attribute("data-points") or 0) >= 1
    assert _painted(tab, "#timeline-chart canvas") > 500
    assert tab.page.locator("details.data-table tbody tr").count() == int(
        chart.get_attribute("data-points") or 0
    )
    tab.shot("timeline-dyad")

    actors = [a["code"] for a in _api(server, "/api/actors?limit=20")["items"]]
    actor = max(actors, key=lambda c: len(_api(server, f"/api/actors/{c}/timeline?interval=month")["series"]))
    tab.goto(f"/timelines?actor={actor}&interval=month&measure=mean")
    tab.page.locator("#timeline-chart[data-points]").wait_for()
    assert _painted(tab, "#timeline-chart canvas") > 500
    tab.shot("timeline-actor")
    _clean(tab)


def test_the_network_and_the_map_render(tab: Tab, server: Server) -> None:
    """The actor network and the map of located events are drawn, the map from the shipped outline only."""
    network = _api(server, "/api/network")
    tab.goto("/network")
    graph = tab.page.locator("#network-chart[data-nodes]")
    graph.wait_for()
    assert int(graph.get_attribute("data-nodes") or 0) == len(network["nodes"]) > 1
    assert int(graph.get_attribute("data-edges") or 0) == len(network["edges"]) > 0
    tab.page.wait_for_timeout(1500)  # let the force layout settle before the screenshot
    assert _painted(tab, "#network-chart canvas") > 500
    tab.shot("network")

    tab.goto("/map")
    world = tab.page.locator("#map-chart[data-points]")
    world.wait_for()
    located = [e for e in _api(server, "/api/events?limit=200")["items"] if e.get("lat") is not None]
    assert int(world.get_attribute("data-points") or 0) == len(located) > 0
    assert _painted(tab, "#map-chart canvas") > 5000
    tab.shot("map")
    _clean(tab)


def _painted(tab: Tab, selector: str) -> int:
    """How many pixels of a canvas are not blank (a chart drew something)."""
    script = """canvas => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 0 && (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245)) n++;
        }
        return n;
    }"""
    return int(tab.page.eval_on_selector(selector, script))


def test_a_correction_needs_the_token_and_then_shows(tab: Tab, server: Server) -> None:
    """Without a token the server refuses the correction and the page says why; with it, the event is corrected."""
    event = _event_with_mentions(server, "05")
    code = "042" if event["code"] != "042" else "043"
    tab.goto(f"/events/{event['id']}")
    form = tab.page.locator("form.correction-form")
    form.wait_for()
    tab.page.check("#verdict-fixed")
    tab.page.fill("form.correction-form input[name=code]", code)
    tab.page.fill("form.correction-form input[name=author]", "A. Analyst")
    tab.page.fill("form.correction-form textarea[name=note]", "the text says they praised")
    tab.page.click("form.correction-form button[type=submit]")
    error = tab.page.locator("#notices .notice.error")
    error.wait_for()
    assert "401" in error.inner_text() or "403" in error.inner_text()
    assert tab.page.locator("form.correction-form .form-message").inner_text().strip()
    assert not _api(server, f"/api/events/{event['id']}")["event"]["corrected"]
    tab.shot("correction-refused")

    tab.page.click("#token-button")
    tab.page.fill("#token-input", TOKEN)
    tab.page.click("#token-form button[value=save]")
    tab.page.locator("#token-button.has-token").wait_for()
    assert tab.page.evaluate("sessionStorage.getItem('eventwire.token')") == TOKEN
    assert tab.page.locator("form.correction-form .hint").is_hidden()
    tab.page.check("#verdict-fixed")
    tab.page.fill("form.correction-form input[name=code]", code)
    tab.page.click("form.correction-form button[type=submit]")
    tab.page.locator("#event-title .badge.verdict").wait_for()
    assert "fixed" in tab.page.locator("#event-title .badge.verdict").inner_text()
    assert tab.page.locator("ol.corrections li").count() == 1
    assert "A. Analyst" in tab.page.locator("ol.corrections").inner_text()
    stored = _api(server, f"/api/events/{event['id']}")
    assert stored["event"]["corrected"] and stored["event"]["code"] == code
    tab.shot("correction-applied")

    tab.goto("/")
    assert (
        "fixed" in tab.page.locator(f"#events-table tr[data-id='{event['id']}'] .badge.verdict").inner_text()
    )

    # A second fix sends only the target it changes: the code fixed before stays in force.
    tab.goto(f"/events/{event['id']}")
    tab.page.check("#verdict-fixed")
    tab.page.fill("form.correction-form input[name=target]", "USAGOV")
    tab.page.click("form.correction-form button[type=submit]")
    tab.page.locator("ol.corrections li:nth-child(2)").wait_for()
    both = _api(server, f"/api/events/{event['id']}")["event"]
    assert (both["code"], both["target"], both["source"]) == (code, ["USAGOV"], event["source"])

    # Reset: back to the machine's coding, the event no longer counted as reviewed.
    tab.page.check("#verdict-reset")
    tab.page.click("form.correction-form button[type=submit]")
    tab.page.locator("ol.corrections li:nth-child(3)").wait_for()
    machine = _api(server, f"/api/events/{event['id']}")["event"]
    assert (
        not machine["corrected"] and machine["code"] == event["code"] and machine["target"] == event["target"]
    )
    assert tab.page.locator("#event-title .badge.verdict").count() == 0
    assert tab.page.locator("#verdict-reset").count() == 0  # nothing left to undo
    _clean(tab, expected=("401", "403"))


def test_links_never_leave_the_site_through_a_backslash(tab: Tab) -> None:
    """A same-site path is a link as it is; "/\\host", which browsers read as "//host", is not a path."""
    tab.goto("/")
    hrefs = tab.page.evaluate(
        """async () => {
            const { safeHref } = await import("/static/js/dom.js");
            return ["/events/x", "/\\\\evil.example/x", "/\\\\\\\\evil.example", "javascript:alert(1)"].map(safeHref);
        }"""
    )
    assert hrefs == ["/events/x", "#", "#", "#"]
    _clean(tab)


def test_a_malformed_mention_in_the_address_still_shows_the_article(tab: Tab, server: Server) -> None:
    """An address whose #mention- part does not decode (a stray %E0) opens the article without an error."""
    article_id = _article_id(server, "Netanyahu interrupted")
    tab.goto(f"/articles/{article_id}#mention-%E0")
    tab.page.locator("article.article-text").wait_for()
    assert tab.page.locator("#notices .notice.error").count() == 0
    assert tab.page.locator("article .hl-trigger.focused").count() == 0
    _clean(tab)


def test_text_from_articles_is_never_markup(tab: Tab, server: Server) -> None:
    """Markup in a title or an article's text is shown as text: no element is created and no script runs."""
    article_id = _article_id(server, "Egypt hosts talks")
    tab.goto("/articles")
    tab.page.locator("ul.article-list li").first.wait_for()
    assert XSS_TITLE in tab.page.locator("ul.article-list").inner_text()
    tab.goto(f"/articles/{article_id}")
    tab.page.locator("article.article-text").wait_for()
    assert tab.page.locator("h1.article-title").inner_text() == XSS_TITLE
    assert "<script>window.__xss = 2</script>" in tab.page.locator("article.article-text").inner_text()
    assert tab.page.locator("main img, main script").count() == 0
    assert tab.page.evaluate("window.__xss") is None
    tab.shot("article-with-markup")
    _clean(tab)


def test_api_errors_are_shown_with_their_detail(tab: Tab) -> None:
    """An unknown event, or a filter the API refuses: the page shows the problem's title, status and detail."""
    tab.goto("/events/ev0000000000000000")
    error = tab.page.locator("#notices .notice.error")
    error.wait_for()
    assert "404" in error.inner_text()
    assert error.locator(".detail").inner_text().strip()
    tab.shot("error-not-found")

    tab.goto("/?since=yesterday")
    error.wait_for()
    assert "422" in error.inner_text()
    assert "since" in error.locator(".detail").inner_text()
    assert tab.page.locator("form.filters").is_visible()
    tab.shot("error-bad-filter")
    _clean(tab, expected=("404", "422"))
