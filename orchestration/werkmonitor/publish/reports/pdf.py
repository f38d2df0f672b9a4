"""The national report as PDF, printed by headless Chromium (Debian package).

The page draws its charts with JavaScript; ``--virtual-time-budget`` lets
Chromium run the page's scripts to rest (virtual time, so no real waiting)
before it prints, so the PDF holds the drawn charts.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
VIRTUAL_TIME_MS = 10_000


def chromium_flags(profile_dir: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile_dir}",
    ]


class Printing:
    """One Chromium printing a page to PDF in the background.

    Started as soon as the page is written, so the other reports are drawn
    while Chromium starts and prints (a second or two of wall time a quarter).
    """

    def __init__(self, html: Path, pdf: Path, timeout: int = 180):
        self.html, self.pdf, self.timeout = html, pdf, timeout
        self.profile = tempfile.TemporaryDirectory(prefix="werkmonitor-chromium-")
        cmd = [
            str(CHROMIUM),
            *chromium_flags(self.profile.name),
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            html.resolve().as_uri(),
        ]
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 — closed in finish
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=self.err, stdin=subprocess.DEVNULL
        )

    def finish(self) -> str | None:
        """Wait for it; None when printed, else why not (the caller reports it as failed)."""
        try:
            code = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return f"chromium timed out after {self.timeout} s printing {self.html.name}"
        finally:
            self.err.seek(0)
            stderr = self.err.read().decode("utf-8", "replace")
            self.err.close()
            self.profile.cleanup()
        if code != 0 or not self.pdf.exists():
            log.warning("chromium could not print %s: %s", self.html, stderr[-500:])
            return f"chromium could not print {self.html.name} (exit {code})"
        return None


def print_pdf(html: Path, pdf: Path, timeout: int = 180) -> str | None:
    """HTML → PDF; None when printed, else why not (the caller reports it as failed)."""
    return Printing(html, pdf, timeout).finish()
