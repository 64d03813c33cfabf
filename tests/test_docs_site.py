"""The documentation site builds with no warning, loads nothing from elsewhere, and reads well.

The site is built with ``mkdocs build --strict``; its pages are then opened in headless
Chromium, which renders the mermaid diagrams with the site's own copy of mermaid.
``rendered_findings(path)`` reports, for any HTML file (a page of the site, or a notebook
exported as HTML), what a reader would stumble on: diagrams left as text, tables wider
than their column, resources fetched from elsewhere, script errors.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.site

ROOT = Path(__file__).parent.parent
CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
MAIN_PAGES = ["index.html", "concepts/lifecycles.html", "tutorial/notebook.html"]
SHOTS = Path("/tmp/govflow-shots")  # noqa: S108 (a fixed place people look at the pictures)

# Run before any of the page's own scripts. MkDocs Material draws each diagram into a
# closed shadow root, which no script can read, so shadow roots are opened for the
# check. After load it waits (up to a timeout) until every diagram has been drawn, then
# writes what it found as JSON into an attribute of the <html> element, which
# ``--dump-dom`` prints.
CHECK = """<script>
(function () {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
  const errors = [];
  window.addEventListener("error", (e) => errors.push(String(e.message || e)));
  window.addEventListener("unhandledrejection", (e) => errors.push(String(e.reason)));
  const EXPECTED = __EXPECTED__;
  const svgOf = (el) =>
    el.querySelector("svg") || (el.shadowRoot && el.shadowRoot.querySelector("svg"));
  function clipper(el) {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow !== "visible" || up.tagName === "ARTICLE" || up.tagName === "BODY") {
        return up;
      }
    }
    return document.body;
  }
  function report(timedOut) {
    const diagrams = Array.from(document.querySelectorAll(".mermaid"));
    const tables = Array.from(document.querySelectorAll("table")).map((table) => {
      const box = clipper(table);
      return { width: table.scrollWidth, container: box.clientWidth,
               text: table.innerText.slice(0, 60) };
    });
    const here = location.protocol === "file:" ? "file:" : location.origin;
    const external = performance.getEntriesByType("resource").map((r) => r.name)
      .filter((name) => !name.startsWith(here) && !name.startsWith("data:")
                        && !name.startsWith("blob:"));
    const findings = {
      timed_out: timedOut,
      expected_diagrams: EXPECTED,
      diagrams: diagrams.length,
      drawn: diagrams.filter(svgOf).length,
      raw: diagrams.filter((el) => !svgOf(el)).map((el) => el.textContent.slice(0, 80)),
      broken: diagrams.filter(svgOf).map(svgOf)
        .filter((svg) => svg.querySelector(".error-icon") || /Syntax error/.test(svg.textContent))
        .map((svg) => svg.textContent.slice(0, 80)),
      wide_tables: tables.filter((t) => t.width > t.container + 1),
      tables: tables.length,
      external: external,
      errors: errors,
    };
    document.documentElement.setAttribute("data-findings", JSON.stringify(findings));
  }
  function poll(started) {
    const diagrams = Array.from(document.querySelectorAll(".mermaid"));
    const done = diagrams.length >= EXPECTED && diagrams.every(svgOf);
    if (done || Date.now() - started > 10000) {
      report(!done);
    } else {
      setTimeout(() => poll(started), 100);
    }
  }
  window.addEventListener("load", () => poll(Date.now()));
})();
</script>"""


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with ``arguments``, as this machine's user may."""
    command = [CHROMIUM or "chromium", "--headless=new", "--disable-gpu"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root in its sandbox
    return subprocess.run(
        [*command, "--virtual-time-budget=15000", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files without a line on standard error for each request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        pass


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on a free local port, giving its base URL.

    Pages are opened over HTTP rather than from ``file://``: there every file is its
    own origin, and the site's search worker fails to start with an opaque script error.
    """
    handler = functools.partial(_Quiet, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            thread.join()


def rendered_findings(path: Path, root: Path | None = None) -> dict[str, object]:
    """What a reader of the HTML file at ``path`` meets once Chromium has rendered it.

    The file is copied beside itself (so that its relative links still resolve) with
    the check injected, served over HTTP from ``root`` (by default the file's folder),
    opened, and the copy removed.

    Args:
        path: An HTML file: a page of the built site, or a notebook exported as HTML.
        root: The folder to serve, holding ``path`` and what it loads.

    Returns:
        ``expected_diagrams`` (mermaid blocks in the file), ``diagrams`` and ``drawn``
        (``.mermaid`` elements, and those holding an ``<svg>``), ``raw`` (the text of
        any left undrawn), ``broken`` (diagrams drawn as mermaid's error
        picture), ``tables`` and ``wide_tables`` (wider than the box that
        holds them), ``external`` (resources fetched from outside the file's own
        place), ``errors`` (script errors) and ``timed_out``.
    """
    html = path.read_text(encoding="utf-8")
    expected = len(re.findall(r"<(?:pre|div)[^>]*class=\"[^\"]*\bmermaid\b", html))
    check = CHECK.replace("__EXPECTED__", str(expected))
    injected, count = re.subn(r"<head[^>]*>", lambda m: m.group(0) + check, html, count=1)
    assert count == 1, f"{path} has no <head>"
    copy = path.with_name(f".check-{path.name}")
    copy.write_text(injected, encoding="utf-8")
    root = (root or path.parent).resolve()
    try:
        with served(root) as base:
            result = chromium("--dump-dom", base + copy.resolve().relative_to(root).as_posix())
    finally:
        copy.unlink()
    match = re.search(r'data-findings="([^"]*)"', result.stdout)
    assert match, f"no findings from Chromium for {path}: {result.stderr[-2000:]}"
    text = match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    findings: dict[str, object] = json.loads(text.replace("&amp;", "&"))
    return findings


class _References(HTMLParser):
    """Every script, stylesheet, font or image a page loads, by its URL."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"script", "img", "iframe"} and attributes.get("src"):
            self.loaded.append(attributes["src"] or "")
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and {"stylesheet", "preload", "preconnect", "icon"} & set(rel):
            self.loaded.append(attributes.get("href") or "")


def loaded_from_elsewhere(page: Path) -> list[str]:
    """The URLs outside the site that ``page`` loads (links to read elsewhere do not count)."""
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    found = [url for url in parser.loaded if re.match(r"(https?:)?//", url)]
    css = re.findall(r"@import\s+url\(['\"]?(https?://[^)'\"]+)", page.read_text("utf-8"))
    return found + css


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with ``mkdocs build --strict`` into a fresh folder."""
    pytest.importorskip("mkdocs", reason="mkdocs is not installed: pip install mkdocs-material")
    pytest.importorskip("mkdocstrings", reason="mkdocstrings is not installed")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return out


def test_the_site_builds_strictly_with_every_page(site: Path) -> None:
    """Every page of the nav is built, the API reference from the docstrings."""
    for page in [*MAIN_PAGES, "reference/api.html", "how-to/logging.html"]:
        assert (site / page).is_file(), page
    api = (site / "reference/api.html").read_text(encoding="utf-8")
    import govflow  # noqa: PLC0415

    # Every top-level name, the constant PREVIOUS and the alias Guard included.
    assert [n for n in govflow.__all__ if f'id="govflow.{n}"' not in api] == []
    # Each exporting package has its page, with every name it exports; a function
    # named as its module is shown by its module's path (below).
    as_module = {("guards", "votes"), ("log", "replay"), ("log", "verify")}
    for package in ("guards", "definitions", "scenarios", "log", "stores", "testing", "render"):
        text = (site / f"reference/{package}.html").read_text(encoding="utf-8")
        exported = importlib.import_module(f"govflow.{package}").__all__
        missing = [
            name
            for name in exported
            if f'id="govflow.{package}.{name}"' not in text and (package, name) not in as_module
        ]
        assert missing == [], (package, missing)
    # Names the pages left out: a function named as its module, the errors, a class
    # the prose tells applications to hold a method of.
    for page, anchor in [
        ("guards", "govflow.guards.votes.votes"),
        ("log", "govflow.log.verify.verify"),
        ("log", "govflow.log.replay.replay"),
        ("errors", "govflow.errors.NotAccepted"),
        ("errors", "govflow.errors.StoreFailed"),
        ("errors", "govflow.errors.MissingExtra"),
        ("stores", "govflow.stores.postgres.PostgresStore.exclusive"),
        # Attributes and constants documented by a "#:" comment above them.
        ("api", "govflow.Lifecycle.fingerprint"),
        ("log", "govflow.log.keys.SignerKey.verifier"),
        ("definitions", "govflow.definitions.FORMAT"),
        ("definitions", "govflow.definitions.scenario.load_decisions"),
    ]:
        text = (site / f"reference/{page}.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in text, (page, anchor)


def test_no_page_loads_anything_from_elsewhere(site: Path) -> None:
    """No script, stylesheet or font comes from a CDN: the site reads the same offline."""
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        assert loaded_from_elsewhere(page) == [], page.relative_to(site)
    assert (site / "assets/javascripts/mermaid.min.js").is_file()


class _Links(HTMLParser):
    """Every link and every loaded resource of a page, by its URL."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for key, value in attrs if key in {"href", "src"} and value]


def unresolved_from_files(site: Path) -> list[tuple[str, str]]:
    """Each (page, URL) of the site that does not lead to a file when read from disk.

    A link opened from a ``file://`` page resolves to a path: a folder shows as a
    listing, not as its ``index.html``, and a path from the root (``/assets/...``)
    leaves the site. Links elsewhere and to a place in the same page are not looked at.
    ``404.html`` is left out: a server shows it, for any path, with links from the root.
    """
    found = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = page.parent / urllib.parse.unquote(parts.path)
            if parts.path.startswith("/") or not target.resolve().is_file():
                found.append((page.relative_to(site).as_posix(), url))
    return found


def test_every_link_of_the_site_leads_to_a_file(site: Path) -> None:
    """The built site reads from a ``file://`` path: every link and resource is a file in it."""
    assert unresolved_from_files(site) == []
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="concepts/lifecycles.html"' in index  # a page, not a folder


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary to search the site with")
def test_the_site_searches_from_a_file_path(site: Path) -> None:
    """Search answers from a ``file://`` page, where a page may not start a web worker."""
    result = chromium("--dump-dom", (site / "index.html").resolve().as_uri() + "?q=witness")
    meta = re.search(r'md-search-result__meta">([^<]*)<', result.stdout)
    assert meta, result.stderr[-2000:]
    assert meta.group(1).endswith("matching documents"), meta.group(1)
    assert "reference/log.html?h=witness" in result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary to render the pages with")
@pytest.mark.parametrize("page", MAIN_PAGES)
def test_the_main_pages_render_their_diagrams_and_fit_their_tables(site: Path, page: str) -> None:
    """Each diagram is drawn as SVG, no table overflows its column, nothing is fetched."""
    findings = rendered_findings(site / page, root=site)
    assert findings["drawn"] == findings["diagrams"] == findings["expected_diagrams"], findings
    assert findings["raw"] == [], findings
    assert findings["broken"] == [], findings  # mermaid draws a parse error as an SVG too
    assert findings["wide_tables"] == [], findings
    assert findings["external"] == [], findings
    assert findings["errors"] == [], findings
    if page == "concepts/lifecycles.html":
        assert findings["expected_diagrams"] >= 1


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary to take screenshots with")
def test_screenshots_of_the_main_pages(site: Path) -> None:
    """Screenshots of the main pages, for people to look at, in /tmp/govflow-shots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with served(site) as base:
        for page in MAIN_PAGES:
            name = page.removesuffix(".html").replace("/", "-")
            shot = SHOTS / f"{name}.png"
            shot.unlink(missing_ok=True)
            chromium(f"--screenshot={shot}", "--window-size=1280,1600", base + page)
            assert shot.is_file(), shot
            assert shot.stat().st_size > 10_000, shot


def test_the_mermaid_hook_without_a_network_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It ended the build in a traceback of urllib's URLError."""
    import importlib.util  # noqa: PLC0415
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    from mkdocs.exceptions import PluginError  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location(
        "fetch_mermaid", ROOT / "scripts" / "fetch_mermaid.py"
    )
    assert spec is not None
    assert spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    def offline(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    monkeypatch.setattr(hook, "TARGET", tmp_path / "mermaid.min.js")
    monkeypatch.setattr(hook.fetch, "__defaults__", (tmp_path / "mermaid.min.js",))
    with pytest.raises(PluginError) as error:
        hook.on_config({})
    said = str(error.value)
    assert said.startswith(f"{tmp_path / 'mermaid.min.js'} is missing or not mermaid ")
    assert "run `python scripts/fetch_mermaid.py` where the npm registry can be reached" in said
    assert not (tmp_path / "mermaid.min.js").exists()
