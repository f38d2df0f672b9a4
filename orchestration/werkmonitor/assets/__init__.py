"""Dagster assets by domain: ingest, warehouse, quality, publish."""

import warnings

from dagster import BetaWarning, PreviewWarning

# Single-run backfill policies and partitioned checks are beta/preview APIs we
# chose on purpose (one dbt invocation per partition range); the warning on
# every import would only teach people to ignore warnings.
warnings.filterwarnings("ignore", category=BetaWarning)
warnings.filterwarnings("ignore", category=PreviewWarning)
