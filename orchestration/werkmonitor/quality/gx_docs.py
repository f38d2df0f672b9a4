"""A Data Docs index that keeps the pages of quarters this run did not validate.

GX's ``DefaultSiteIndexBuilder`` deletes every page whose validation result is
not in the (ephemeral, per-process) result store. With one site for all
quarters, a run over one quarter would then wipe every other quarter's pages.
Those kept pages still cannot be listed in GX's index (it reads each result
from the store, and warns once per page that it is missing), so the warnings
are muted here; ``gates.html`` at the site root lists every quarter. GX loads
this class by name from the site config; importing GX here is fine because
only GX imports this module.
"""

from __future__ import annotations

import logging

from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder

_SITE_LOG = logging.getLogger("great_expectations.render.renderer.site_builder")


class KeepingSiteIndexBuilder(DefaultSiteIndexBuilder):
    def build(self, skip_and_clean_missing=True, build_index: bool = True):
        level = _SITE_LOG.level
        _SITE_LOG.setLevel(logging.ERROR)
        try:
            return super().build(skip_and_clean_missing=False, build_index=build_index)
        finally:
            _SITE_LOG.setLevel(level)
