"""What a submission is on disk: its name, its members, its content hash.

A folder's hash covers every file in it, not only the three CSVs, so that
removing an extra file (for instance one holding identifiers) makes the
folder a new version that is checked again; for a folder of exactly the three
CSVs the hash is what it always was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from werkmonitor.catalogue import submission_format

NAME_RE = re.compile(r"^(?P<org>[A-Za-z0-9]+)_(?P<quarter>\d{4}[Qq][1-4])(?:_(?P<suffix>.+))?$")
CSV_FILES = tuple(sheet.file for sheet in submission_format().sheets.values())


def is_hidden(path: Path) -> bool:
    """Hidden files and Excel lock files are not submissions (nor members)."""
    return path.name.startswith((".", "~$"))


def find_member(folder: Path, name: str) -> Path | None:
    exact = folder / name
    if exact.is_file():
        return exact
    for child in folder.iterdir():
        if child.is_file() and child.name.lower() == name:
            return child
    return None


def extra_members(folder: Path) -> list[Path]:
    """Everything else in a submission folder, in name order (hidden files aside)."""
    expected = {m.name for m in (find_member(folder, n) for n in CSV_FILES) if m is not None}
    return [
        c for c in sorted(folder.iterdir()) if c.name not in expected and not c.name.startswith(".")
    ]


def _digest_file(digest, name: str, path: Path) -> None:
    data = path.read_bytes()
    digest.update(f"{name}\0{len(data)}\0".encode())
    digest.update(data)


def content_hash(path: Path) -> str:
    """sha256 of the file; of a folder: name, size and bytes of its CSVs, then its other files."""
    digest = hashlib.sha256()
    if path.is_dir():
        for name in sorted(CSV_FILES):
            member = find_member(path, name)
            if member is not None:
                _digest_file(digest, name, member)
        for extra in extra_members(path):
            if extra.is_file():
                _digest_file(digest, f"extra:{extra.name}", extra)
    else:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def organisation_from_name(path: Path) -> str | None:
    stem = path.name if path.is_dir() else path.stem
    match = NAME_RE.match(stem)
    return match["org"].upper() if match else None
