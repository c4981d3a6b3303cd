"""Browser fixtures: the fixture catalogue built, served over HTTP and opened in Chromium.

The site is built by `sitegen build` for the URL it is served from, either at the
root of a local server or under a sub-path, and served by a stdlib HTTP server
that answers every missing path with 404 and sends text compressed to a browser
that accepts gzip, as a static host (GitHub Pages) does. Pages come from
Debian's Chromium driven by Playwright; every page fails its test when a dialog
opens or a script throws, so injected script can never pass unnoticed.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from sitegen.cli import main

from .helpers import CHROMIUM, CHROMIUM_ARGS, DESKTOP, FIXTURE, SUB_PATH

# -- the site, built and served ------------------------------------------------------------

# The kinds of file a static host sends compressed.
COMPRESSED = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".bib"})


class _Handler(SimpleHTTPRequestHandler):
    """Files only: a missing file or a directory without index.html is a 404. Text goes
    gzipped to a client that accepts it, so that a page's weight on the network (which
    Lighthouse's simulated phone network counts) is what a reader's browser downloads."""

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, format, *args):  # quiet: failures are reported by the tests
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser dropping a connection it no longer needs is not an error


@dataclass
class Site:
    """A built fixture site being served: `url` is its base URL, `out` its output directory."""

    url: str
    out: Path
    origin: str = field(init=False)
    base: str = field(init=False)  # the path part of url, ends with "/"

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base = parts.path

    def page_url(self, path: str = "") -> str:
        """The URL of a page of the site, `path` relative to its base ('papers/x/')."""
        return self.url + path

    def html_pages(self) -> list[str]:
        """The URL of every HTML file the build wrote."""
        urls = []
        for file in sorted(self.out.rglob("*.html")):
            relative = file.relative_to(self.out).as_posix()
            urls.append(self.page_url(relative.removesuffix("index.html")))
        return urls


@contextlib.contextmanager
def serve_site(root: Path, base_path: str, content: Path = FIXTURE) -> Iterator[Site]:
    """Serve `root` on a free local port, with a catalogue (the fixture by default) built
    into root/base_path."""
    assert base_path.startswith("/") and base_path.endswith("/"), base_path
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    url = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    out = root / base_path.strip("/") if base_path != "/" else root
    status = main(["build", "--content", str(content), "--out", str(out), "--base-url", url])
    assert status == 0, f"sitegen build failed for {url}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(url, out)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_catalogue(root: Path, content: Path):
    """Serve another catalogue (such as the shipped one) at the root of a local origin."""
    return serve_site(root, "/", content)


@pytest.fixture(scope="module")
def site_at(tmp_path_factory) -> Iterator[Callable[[str], Site]]:
    """Build and serve the fixture site under a base path ('/' or '/sub/path/'), once per
    module and base path."""
    sites: dict[str, Site] = {}
    with contextlib.ExitStack() as stack:
        def at(base_path: str) -> Site:
            if base_path not in sites:
                root = tmp_path_factory.mktemp("served")
                sites[base_path] = stack.enter_context(serve_site(root, base_path))
            return sites[base_path]
        yield at


@pytest.fixture(scope="module")
def site(site_at) -> Site:
    """The fixture site served at the root of its origin."""
    return site_at("/")


@pytest.fixture(scope="module")
def sub_site(site_at) -> Site:
    """The fixture site served under a sub-path, as on GitHub Pages for a project."""
    return site_at(SUB_PATH)


@pytest.fixture(params=["/", SUB_PATH], ids=["root", "sub-path"])
def any_site(request, site_at) -> Site:
    """Each of the two: at the root and under a sub-path."""
    return site_at(request.param)


# -- the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}, which is "
                    "missing; install it with: apt-get install -y chromium "
                    "(./dev.sh test does this when run as root)", pytrace=False)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a browser context saw: dialogs, script errors, console errors, HTTP errors."""

    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)  # same origin, status >= 400

    def problems(self) -> list[str]:
        return ([f"a dialog opened: {d}" for d in self.dialogs]
                + [f"uncaught script error: {e}" for e in self.page_errors])


_WATCHES = pytest.StashKey[list[Watch]]()


def _open_context(browser: Browser, request, watch: Watch | None = None, offline: bool = False,
                  **options) -> BrowserContext:
    """A fresh context whose pages are watched. With `offline`, requests that would leave the
    machine are answered with a blank page, so following an external link stays local."""
    context = browser.new_context(**options)
    watch = watch or Watch()
    request.node.stash.setdefault(_WATCHES, []).append(watch)

    def on_dialog(dialog) -> None:
        watch.dialogs.append(f"{dialog.type} {dialog.message!r} on {dialog.page.url}")
        dialog.dismiss()

    def on_console(message) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_response(response) -> None:
        if response.status >= 400 and response.url.startswith("http://127.0.0.1:"):
            watch.failed_responses.append(f"{response.status} {response.url}")

    def watch_page(page: Page) -> None:
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watch.page_errors.append(f"{error} on {page.url}"))
        page.on("console", on_console)
        page.on("response", on_response)

    def external(route) -> None:
        route.fulfill(status=200, content_type="text/html",
                      body="<!doctype html><title>external</title><p>external page</p>")

    context.on("page", watch_page)
    if offline:
        context.route(lambda url: not url.startswith("http://127.0.0.1:"), external)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test fails when any page it opened showed a dialog or threw a script error."""
    def problems() -> list[str]:
        return [p for watch in item.stash.get(_WATCHES, []) for p in watch.problems()]
    try:
        result = yield
    except BaseException:
        if problems():  # the test failed anyway; say what the browser saw too
            print("the browser saw:", *problems(), sep="\n  ")
        raise
    if problems():
        pytest.fail("the browser saw:\n  " + "\n  ".join(problems()), pytrace=False)
    return result


@pytest.fixture
def watch() -> Watch:
    """What the `page` fixture's browser context sees during a test."""
    return Watch()


@pytest.fixture
def context(browser, request, watch) -> Iterator[BrowserContext]:
    """A light-scheme desktop browser context with JavaScript on."""
    context = _open_context(browser, request, watch, viewport=DESKTOP, color_scheme="light")
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser, request) -> Iterator[Page]:
    """A page in a context with JavaScript disabled."""
    context = _open_context(browser, request, java_script_enabled=False, viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def open_context(browser, request) -> Iterator[Callable[..., BrowserContext]]:
    """Make further watched contexts (other viewports, colour schemes) for one test."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = _open_context(browser, request, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
