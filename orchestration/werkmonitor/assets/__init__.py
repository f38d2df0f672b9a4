"""Dagster assets by domain: ingest, warehouse, quality, publish."""

import warnings

# the classes ``dagster`` re-exports, from where they are defined: importing the
# package must not import Dagster itself (≈0.9 CPU s), so the report worker
# (``python -m werkmonitor.assets.reports_split``) starts without it
from dagster_shared.utils.warnings import BetaWarning, PreviewWarning

# Single-run backfill policies and partitioned checks are beta/preview APIs we
# chose on purpose (one dbt invocation per partition range); the warning on
# every import would only teach people to ignore warnings.
warnings.filterwarnings("ignore", category=BetaWarning)
warnings.filterwarnings("ignore", category=PreviewWarning)
