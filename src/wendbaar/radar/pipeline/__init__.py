"""The ingest pipeline: runs, uploads, ingesting vacancy files into the store and enriching them."""
