"""The national report as PDF, printed by headless Chromium (Debian package).

The page draws its charts with JavaScript; the page is printed once every
figure is drawn (:mod:`~werkmonitor.publish.reports.browser`), so the PDF
holds the drawn charts. ``VIRTUAL_TIME_MS`` is what a one-off command line
(``--virtual-time-budget``) gives the page's scripts to come to rest.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
VIRTUAL_TIME_MS = 10_000


def chromium_flags(profile_dir: str) -> list[str]:
    return [*chromium_flags_without_profile(), f"--user-data-dir={profile_dir}"]


def chromium_flags_without_profile() -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]


class Printing:
    """One page printing to PDF in the background, by the process's one Chromium.

    Queued as soon as the page is written, so the other reports are drawn
    while Chromium prints; the browser is started once per process
    (:mod:`~werkmonitor.publish.reports.browser`), not once per PDF.
    """

    def __init__(self, html: Path, pdf: Path, timeout: int = 180):
        from werkmonitor.publish.reports.browser import printer

        self.html, self.pdf, self.timeout = html, pdf, timeout
        self.printer = printer(CHROMIUM, chromium_flags_without_profile())
        self.future = self.printer.submit(html, pdf)

    def finish(self) -> str | None:
        """Wait for it; None when printed, else why not (the caller reports it as failed)."""
        try:
            self.future.result(timeout=self.timeout)
        except TimeoutError:
            self.future.cancel()
            self.printer.reset()
            return f"chromium timed out after {self.timeout} s printing {self.html.name}"
        except Exception as exc:  # noqa: BLE001 — reported as this PDF's failure
            log.warning("chromium could not print %s: %s", self.html, exc)
            return f"chromium could not print {self.html.name} ({exc})"
        if not self.pdf.exists():
            return f"chromium could not print {self.html.name} (no file)"
        return None


def print_pdf(html: Path, pdf: Path, timeout: int = 180) -> str | None:
    """HTML → PDF; None when printed, else why not (the caller reports it as failed)."""
    return Printing(html, pdf, timeout).finish()
