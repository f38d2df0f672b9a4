"""Import the later steps' libraries while the dbt build runs.

During ``dbt build`` this process only waits for the dbt child's log lines,
so the second core is idle. Importing Great Expectations (≈2–3 CPU s, with
pandas) and the publish modules in a daemon thread meanwhile lets the
quality and publish steps start with them loaded: the same work in the same
process, so CPU seconds stay the same and wall seconds go. The dbt step
waits for the thread before it goes on (:func:`meanwhile`), so no two
threads of this process import at once after it; an import that fails here is left
to fail again, with its real traceback, where the step imports it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# what the quality, publish and reports steps import first; GX brings pandas
MODULES = (
    "great_expectations",
    "werkmonitor.quality.gx_run",
    "werkmonitor.publish",
    "werkmonitor.publish.reports",
)


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the step that needs it raises it properly
            return


@contextmanager
def meanwhile(modules: tuple[str, ...] = MODULES) -> Iterator[None]:
    """Import ``modules`` in a background thread during the block; wait for it at
    the block's end. No state between calls: a module imported already costs a
    dictionary lookup the second time (a test process runs the pipeline often)."""
    thread = threading.Thread(
        target=_import_all, args=(modules,), name="werkmonitor-prefetch", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        thread.join()
