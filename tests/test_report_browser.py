"""The HTML report in a real browser: headless Chromium driven over the DevTools protocol.

A page that looks right as text can still fail in a browser (a script error,
a blocked inline style, an image fetched from the network). These tests open
reports in Debian's ``chromium`` and check: no console errors or exceptions,
no request leaves the file, the leaderboard and the probe heatmap are visible,
and a screenshot is not blank. They skip, saying why, when chromium is absent.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run installs it)")

SPEC = str(Path(__file__).resolve())
INJECTION = '<script>console.error("injected")</script><img src="https://example.invalid/x.png" onerror="console.error(1)">'


def atlas_quotes(task: Any) -> str:
    """A second summarizer: the quoted sentences of the last document (the seed's embellished post, so
    some probes trigger), plus markup that must stay text: run or loaded, the browser would log it."""
    from bench.text import sentences

    doc = task.documents[-1]
    picked = [s for s in sentences(doc.text) if len(s.split()) >= 5 and ("“" in s or '"' in s)][:8]
    return "\n".join(picked) + "\n" + INJECTION


class Browser:
    """One headless Chromium and one page, spoken to over the DevTools protocol (websockets)."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900):
        self.profile = profile
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.events: list[dict[str, Any]] = []
        self._next = 0
        self._stack = ExitStack()
        try:
            self.ws = self._connect()
        except BaseException:
            self.close()
            raise

    def _connect(self):
        from websockets.sync.client import connect

        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
                pages = [t for t in json.load(answer) if t.get("type") == "page"]
            if pages or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not pages:
            raise RuntimeError("chromium has no page to drive")
        return self._stack.enter_context(connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=20))

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(m.get("method") == event for m in self.events):
            self.events.append(json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))))

    def drain(self, seconds: float) -> None:
        """Collect late events (a script error after load) for a moment."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=left)))
            except TimeoutError:
                break

    def open(self, path: Path) -> None:
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired", timeout=60)
        self.drain(0.5)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP violations land there)."""
        out = []
        for m in self.events:
            method, params = m.get("method"), m.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                out.append(f"console.{params['type']}: {[a.get('value', a.get('description')) for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                out.append(f"log: {params['entry'].get('text')}")
        return out

    def requests(self) -> list[str]:
        return [m["params"]["request"]["url"] for m in self.events if m.get("method") == "Network.requestWillBeSent"]

    def screenshot(self) -> bytes:
        self.evaluate("window.scrollTo(0, 0)")
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        self._stack.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


VISIBLE = """(() => {
  const out = {};
  for (const [name, selector] of Object.entries(%s)) {
    const el = document.querySelector(selector);
    if (!el) { out[name] = null; continue; }
    el.scrollIntoView({block: "center"});
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const inView = box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
    out[name] = {width: box.width, height: box.height, inView: inView, display: style.display,
                 visibility: style.visibility, opacity: Number(style.opacity), text: el.innerText || ""};
  }
  window.scrollTo(0, 0);
  return out;
})()"""


def visible(browser: Browser, selectors: dict[str, str]) -> dict[str, Any]:
    return browser.evaluate(VISIBLE % json.dumps(selectors))


def assert_visible(box: dict[str, Any] | None, what: str) -> None:
    assert box is not None, f"{what} is not on the page"
    assert box["width"] > 50 and box["height"] > 20, f"{what} has no size: {box}"
    assert box["inView"] and box["display"] != "none" and box["visibility"] == "visible" and box["opacity"] > 0, f"{what} is hidden: {box}"


def assert_not_blank(png: bytes) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.width * image.height
    colors = image.getcolors(maxcolors=pixels) or []
    white = sum(count for count, rgb in colors if min(rgb) >= 245)
    assert len(colors) > 50, f"screenshot has only {len(colors)} colours"
    assert (pixels - white) / pixels > 0.03, "screenshot is almost all white"


@pytest.fixture
def browser(tmp_path: Path):
    pytest.importorskip("websockets", reason="websockets (in the test extra) drives Chromium over the DevTools protocol")
    instance = Browser(tmp_path / "chromium-profile")
    try:
        yield instance
    finally:
        instance.close()


def test_report_of_a_real_run_in_chromium(cli, seed_root: Path, tmp_path: Path, browser: Browser) -> None:
    from bench.metrics import REGISTRY

    metrics = ["rouge"] + sorted(m for m in REGISTRY if "probe" in m or "fact" in m)
    runs = []
    for name, spec in (("lead", "lead"), ("atlas", f"{SPEC}:atlas_quotes")):
        out = tmp_path / name
        code, _, err = cli("run", spec, "--root", str(seed_root), "--out", str(out), "--metrics", ",".join(metrics), "-q")
        assert code == 0, err
        runs.append(str(out))
    code, _, err = cli("report", *runs, "--out", str(tmp_path / "report"))
    assert code == 0, err

    browser.open(tmp_path / "report" / "report.html")
    assert browser.problems() == []
    assert all(url.startswith(("file:", "data:")) for url in browser.requests()), browser.requests()
    boxes = visible(browser, {"leaderboard": "#leaderboard-table", "heatmap": "#probe-heatmap", "heatmap_svg": "#probe-heatmap svg"})
    assert_visible(boxes["leaderboard"], "the leaderboard")
    assert "lead" in boxes["leaderboard"]["text"] and "atlas_quotes" in boxes["leaderboard"]["text"]
    assert_visible(boxes["heatmap"], "the probe heatmap")
    scored_probes = any("probes" in json.loads(line) for line in (tmp_path / "atlas" / "scores.jsonl").read_text().splitlines())
    if scored_probes:  # the seed gold has probes, so with a probes metric registered the heatmap is a plot
        assert_visible(boxes["heatmap_svg"], "the probe heatmap plot")
    # the injected markup stayed text and the summary is shown
    assert INJECTION in browser.evaluate("document.querySelector('#task-trump-putin-call').textContent")
    assert_not_blank(browser.screenshot())


def test_report_with_probes_and_key_facts_in_chromium(tmp_path: Path, browser: Browser) -> None:
    from test_report_html import make_synthetic

    from bench.reporting import write_report

    runs = make_synthetic(tmp_path, n_summarizers=2, n_tasks=4)
    page = write_report(runs, tmp_path / "report")["html"]
    browser.open(page)
    assert browser.problems() == []
    assert all(url.startswith(("file:", "data:")) for url in browser.requests()), browser.requests()
    boxes = visible(browser, {"leaderboard": "#leaderboard-table", "heatmap": "#probe-heatmap svg", "recall": "#key-fact-recall svg"})
    for name, box in boxes.items():
        assert_visible(box, name)
    # the per-task sections start closed; "Expand all" opens them and a triggered probe's span shows
    assert browser.evaluate("document.querySelectorAll('details.task[open]').length") == 0
    browser.evaluate("document.getElementById('expand-all').click()")
    assert browser.evaluate("document.querySelectorAll('details.task[open]').length") == 4
    assert visible(browser, {"mark": "mark.probe"})["mark"]["width"] > 0
    # the filter hides tasks that do not match
    browser.evaluate("const f = document.getElementById('task-filter'); f.value = 'task-002'; f.dispatchEvent(new Event('input'))")
    assert browser.evaluate("[...document.querySelectorAll('details.task')].filter(d => !d.hidden).map(d => d.id)") == ["task-task-002"]
    assert_not_blank(browser.screenshot())
    assert browser.problems() == []


def test_leaderboard_fits_1400_px_and_all_zero_metrics_are_not_plotted(cli, tmp_path: Path) -> None:
    """Three baselines on every shipped task: every headline column is filled; the page is 1,400 px wide."""
    pytest.importorskip("websockets", reason="websockets (in the test extra) drives Chromium over the DevTools protocol")
    runs = []
    for name in ("lead", "textrank", "random"):
        code, _, err = cli("run", name, "--out", str(tmp_path / name), "-q")
        assert code == 0, err
        runs.append(str(tmp_path / name))
    code, _, err = cli("report", *runs, "--out", str(tmp_path / "report"))
    assert code == 0, err
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    bars = html.split('<figure id="metric-bars">')[1].split("</figure>")[0]
    assert "(Not plotted, 0 for every run: support_flagged" in bars
    assert "support_flagged ↓" not in bars.split("<figcaption>")[0]  # no empty panel
    assert "rouge1_f ↑" in bars.split("<figcaption>")[0]
    browser = Browser(tmp_path / "chromium-profile", width=1400, height=1000)
    try:
        browser.open(tmp_path / "report" / "report.html")
        assert browser.problems() == []
        size = browser.evaluate(
            "(() => { const t = document.getElementById('leaderboard-table'); const w = t.parentElement;"
            " return {table: t.getBoundingClientRect().right, scroll: w.scrollWidth, client: w.clientWidth,"
            " page: document.documentElement.clientWidth, headers: [...t.querySelectorAll('th')].map(h => h.innerText)}; })()"
        )
        assert size["scroll"] <= size["client"] and size["table"] <= size["page"], size
        assert any("length_" in h for h in size["headers"]) and any("over_" in h for h in size["headers"]), size["headers"]
    finally:
        browser.close()
