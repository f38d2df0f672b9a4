"""Dagster assets by domain: ingest, warehouse, quality, publish."""
