"""Ingest and enrichment runs (LLO-Radar part 1)."""
