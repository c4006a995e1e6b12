"""Open a local page in headless Chromium over the DevTools protocol; collect what it did.

A tiny synchronous CDP client (the `websockets` package Prefect already depends on): start
Debian's `chromium` with a throwaway profile, load the page, wait for a JS condition, then
return console messages, uncaught exceptions, network requests and a full-page screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0",
         "--remote-allow-origins=*")


def find_chromium() -> str | None:
    """Return the Chromium executable, or None when it is not installed."""
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageRun:
    """What happened while a page loaded."""

    console: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    log_entries: list[dict[str, Any]] = field(default_factory=list)
    value: Any = None
    screenshot: Path | None = None

    @property
    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors, as text."""
        found = [f"console.{m['type']}: {m['text']}" for m in self.console
                 if m["type"] in ("error", "assert")]
        found += [f"exception: {e}" for e in self.exceptions]
        found += [f"log {e.get('source')}: {e.get('text')} {e.get('url', '')}"
                  for e in self.log_entries if e.get("level") == "error"]
        return found


class _Session:
    def __init__(self, url: str) -> None:
        self.ws = connect(url, max_size=None, open_timeout=20)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self.next_id += 1
        message_id = self.next_id
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=deadline - time.monotonic())))
            except TimeoutError:
                return


def render_page(page: Path, ready_js: str, screenshot: Path, *, width: int = 1280,
                timeout: float = 60) -> PageRun:
    """Load `page`, wait until `ready_js` is truthy, screenshot it; return what happened."""
    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError("chromium is not installed")
    # Chromium helper processes may still write to the profile as it is removed.
    with tempfile.TemporaryDirectory(prefix="newsdesk-chromium-",
                                     ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            port = _devtools_port(process, timeout)
            return _drive(port, page, ready_js, screenshot, width, timeout)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _devtools_port(process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    lines = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise RuntimeError("chromium exited early:\n" + "".join(lines[-20:]))
        lines.append(line)
        found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
        if found:
            return int(found.group(1))
    raise TimeoutError("chromium did not open its DevTools port")


def _drive(port: int, page: Path, ready_js: str, screenshot: Path, width: int,
           timeout: float) -> PageRun:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
        targets = json.load(response)
    target = next(t for t in targets if t.get("type") == "page")
    session = _Session(target["webSocketDebuggerUrl"])
    run = PageRun()
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            session.send(f"{domain}.enable")
        session.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        session.send("Page.navigate", {"url": page.resolve().as_uri()})
        deadline = time.monotonic() + timeout
        while True:
            result = session.send("Runtime.evaluate",
                                  {"expression": ready_js, "returnByValue": True})
            run.value = result.get("result", {}).get("value")
            if run.value or time.monotonic() > deadline:
                break
            session.drain(0.2)
        session.drain(0.3)  # late console messages
        metrics = session.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = session.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000),
                     "scale": 1}})
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        run.screenshot = screenshot
    finally:
        session.ws.close()
    for event in session.events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            run.console.append({"type": params["type"], "text": text})
        elif event.get("method") == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            run.exceptions.append(details.get("exception", {}).get("description")
                                  or details.get("text", ""))
        elif event.get("method") == "Log.entryAdded":
            run.log_entries.append(params["entry"])
        elif event.get("method") == "Network.requestWillBeSent":
            run.requests.append(params["request"]["url"])
    return run
