"""One headless Chromium per process, printing pages to PDF over its DevTools pipe.

Starting Chromium costs about half a CPU second and seconds of wall time, as
much as printing a page: a run that renders 11 quarters paid it 11 times, and
removed an 11th fresh profile folder each time. Here the browser is started
on the first PDF and kept for the process (``--remote-debugging-pipe``: the
DevTools protocol as NUL-separated JSON on fds 3 and 4, no port, no network).
One thread prints the queued pages in turn; each page gets its own tab, is
printed once every figure is drawn (or could not be, or after
``DRAW_LIMIT_MS``), and the tab is closed. A browser that dies is started
again for the next page; the browser is closed when the process exits.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

DRAW_LIMIT_MS = 10_000
# Resolves when no figure waits for its chart (drawn, failed, or no bundle).
_DRAWN = (
    "new Promise(done => { const t0 = Date.now(); (function check() {"
    " const left = document.querySelectorAll('figure.chart:not(.drawn):not(.not-drawn)').length;"
    " if (!left || typeof vegaEmbed !== 'function' || Date.now() - t0 > LIMIT) done(left);"
    " else setTimeout(check, 20); })(); })"
).replace("LIMIT", str(DRAW_LIMIT_MS))


_TRAMPOLINE = (
    "import os, sys; a, b = os.dup(int(sys.argv[1])), os.dup(int(sys.argv[2])); "
    "os.dup2(a, 3); os.dup2(b, 4); os.set_inheritable(3, True); os.set_inheritable(4, True); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)


class BrowserError(RuntimeError):
    """Chromium exited, or answered a command with an error."""


class _Browser:
    def __init__(self, chromium: Path, flags: list[str]):
        self.profile = tempfile.TemporaryDirectory(prefix="werkmonitor-chromium-")
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 — closed in close()
        to_browser, from_us = os.pipe()
        to_us, from_browser = os.pipe()
        # Chromium reads fd 3 and writes fd 4; a tiny exec trampoline puts the
        # pipe ends there (a shell cannot: dash only knows fds 0-9).
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _TRAMPOLINE, str(to_browser), str(from_browser),
             str(chromium), *flags, f"--user-data-dir={self.profile.name}",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(to_browser, from_browser),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.err,
        )  # fmt: skip
        os.close(to_browser)
        os.close(from_browser)
        self.out = os.fdopen(from_us, "wb", buffering=0)
        self.inp = os.fdopen(to_us, "rb", buffering=0)
        self.pending, self.last_id = b"", 0

    def _message(self) -> dict:
        while b"\0" not in self.pending:
            chunk = self.inp.read(1 << 20)
            if not chunk:
                raise BrowserError(f"chromium exited (code {self.proc.wait()}): {self.stderr()}")
            self.pending += chunk
        text, self.pending = self.pending.split(b"\0", 1)
        return json.loads(text)

    def stderr(self) -> str:
        """The end of what Chromium said on stderr (why it exited)."""
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")[-300:].strip()

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.last_id += 1
        msg = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            self.out.write(json.dumps(msg).encode() + b"\0")
        except BrokenPipeError:
            raise BrowserError(
                f"chromium exited (code {self.proc.wait()}): {self.stderr()}"
            ) from None
        while True:
            answer = self._message()
            if answer.get("id") == self.last_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})

    def wait_event(self, method: str, session: str) -> None:
        while True:
            msg = self._message()
            if msg.get("method") == method and msg.get("sessionId") == session:
                return

    def print_page(self, html: Path, pdf: Path) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
            sid = session["sessionId"]
            self.call("Page.enable", session=sid)
            self.call("Page.navigate", {"url": html.resolve().as_uri()}, session=sid)
            self.wait_event("Page.loadEventFired", sid)
            self.call("Runtime.evaluate", {"expression": _DRAWN, "awaitPromise": True}, sid)
            printed = self.call(
                "Page.printToPDF", {"preferCSSPageSize": True, "displayHeaderFooter": False}, sid
            )
        finally:
            if self.proc.poll() is None:
                self.call("Target.closeTarget", {"targetId": target})
        tmp = pdf.with_name(f".{pdf.name}.tmp-{os.getpid()}")
        tmp.write_bytes(base64.b64decode(printed["data"]))
        os.replace(tmp, pdf)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.call("Browser.close")
            self.proc.wait(timeout=10)
        except (BrowserError, OSError, ValueError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for f in (self.out, self.inp, self.err):
                f.close()
            self.profile.cleanup()


class Printer:
    """Pages queued for printing, printed in turn by one thread and one browser."""

    def __init__(self, chromium: Path, flags: list[str]):
        self.chromium, self.flags = chromium, flags
        self.jobs: queue.Queue = queue.Queue()
        self.browser: _Browser | None = None
        self.lock = threading.Lock()
        threading.Thread(target=self._work, name="werkmonitor-pdf", daemon=True).start()

    def submit(self, html: Path, pdf: Path) -> Future:
        future: Future = Future()
        self.jobs.put((html, pdf, future))
        return future

    def _work(self) -> None:
        while True:
            html, pdf, future = self.jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with self.lock:
                    if self.browser is None:
                        self.browser = _Browser(self.chromium, self.flags)
                    self.browser.print_page(html, pdf)
                future.set_result(None)
            except Exception as exc:  # noqa: BLE001 — the caller reports it; the next page starts afresh
                self.reset()
                future.set_exception(exc)

    def reset(self) -> None:
        """Close the browser (it is started again for the next page)."""
        browser, self.browser = self.browser, None
        if browser is not None:
            browser.close()

    def close(self) -> None:
        with self.lock:
            self.reset()


_PRINTER: list[Printer] = []


def printer(chromium: Path, flags: list[str]) -> Printer:
    """The process's printer, made on first use and closed at exit."""
    if not _PRINTER:
        _PRINTER.append(Printer(chromium, flags))
        atexit.register(_PRINTER[0].close)
    return _PRINTER[0]
