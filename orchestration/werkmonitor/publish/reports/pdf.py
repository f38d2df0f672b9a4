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


def print_pdf(html: Path, pdf: Path, timeout: int = 180) -> str | None:
    """HTML → PDF; None when printed, else why not (the caller reports it as failed)."""
    with tempfile.TemporaryDirectory(prefix="werkmonitor-chromium-") as profile:
        cmd = [
            str(CHROMIUM),
            *chromium_flags(profile),
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return f"chromium timed out after {timeout} s printing {html.name}"
    if proc.returncode != 0 or not pdf.exists():
        log.warning("chromium could not print %s: %s", html, proc.stderr[-500:])
        return f"chromium could not print {html.name} (exit {proc.returncode})"
    return None
