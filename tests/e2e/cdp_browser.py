"""Headless Chromium driven over the Chrome DevTools Protocol (a websocket per page).

Just what the browser tests need: navigate, run JavaScript, type, wait for a condition
and take screenshots. The websocket client is ``websockets`` (already in the lock file).
"""
from __future__ import annotations

import base64
import itertools
import json
import socket
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import requests
from websockets.sync.client import connect

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                  "--disable-dev-shm-usage", "--hide-scrollbars")


class BrowserError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, binary: str, profile_dir: Path, width: int = 1400, height: int = 1000):
        port = _free_port()
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--remote-debugging-port={port}", f"--user-data-dir={profile_dir}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._ids = itertools.count(1)
        try:
            page = self._until(lambda: self._page_target(port), "Chromium's DevTools endpoint", 60)
            self._connection = ExitStack()
            self.ws = self._connection.enter_context(connect(page["webSocketDebuggerUrl"], max_size=None,
                                                             open_timeout=30))
            self.send("Page.enable")
            self.send("Runtime.enable")
        except Exception:
            self.process.kill()
            raise

    @staticmethod
    def _page_target(port: int) -> dict | None:
        try:
            targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
        except requests.ConnectionError:
            return None
        return next((t for t in targets if t.get("type") == "page"), None)

    @staticmethod
    def _until(probe, what: str, timeout_s: float):
        deadline = time.monotonic() + timeout_s
        while True:
            if result := probe():
                return result
            if time.monotonic() > deadline:
                raise BrowserError(f"gave up waiting for {what} after {timeout_s:.0f}s")
            time.sleep(0.25)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._connection.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)

    def send(self, method: str, **params) -> dict:
        """Call a DevTools method and return its result (events arriving meanwhile are dropped)."""
        message_id = next(self._ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=120))
            if message.get("id") == message_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}...: {result['exceptionDetails'].get('exception', {})}")
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout_s: float = 90) -> None:
        """Poll a JavaScript expression until it is truthy (a page navigating meanwhile is polled again)."""
        def probe() -> bool:
            try:
                return self.evaluate(f"!!({expression})")
            except BrowserError as err:
                if "navigated" in str(err) or "context" in str(err):
                    return False
                raise

        self._until(probe, what, timeout_s)

    def navigate(self, url: str) -> None:
        self.evaluate("window.__leaving = true")
        self.send("Page.navigate", url=url)
        self.wait_for("!window.__leaving && document.readyState === 'complete'", f"{url} to load")

    def type_into(self, selector: str, text: str) -> None:
        """Focus the element and type ``text`` as keyboard input (so page scripts see real input events)."""
        self.wait_for(f"document.querySelector({json.dumps(selector)})", f"element {selector}")
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """A PNG of the viewport, or of the whole page."""
        params: dict = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))
        return path
