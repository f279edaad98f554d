"""The radar pipeline's use cases, in one place for callers; each lives in the module named beside it.

- `ingest_services`: ingest vacancy files as a run (optionally enriched on the way), import postcodes;
- `enrich_services`: enrich the store after a taxonomy or engine change, the store's summary;
- `upload_services`: queue an upload for the background worker, process it, retry it;
- `run_services`: heartbeats, stalled runs, failures, the store's writer lock.
"""

from __future__ import annotations

from wendbaar.radar.enrich_services import (
    CHUNK_SIZE,
    DASK_CHUNK_SIZE,
    WINDOW_ROWS,
    engine_file,
    enrich_store,
    isco_codes,
    store_summary,
    taxonomy_version,
)
from wendbaar.radar.ingest_services import IngestRefused, import_postcodes, ingest_files
from wendbaar.radar.run_services import (
    Heartbeat,
    RunTakenOver,
    is_stalled,
    record_failure,
    runs_dir,
    runs_visible_to,
    stale_after,
    stalled_runs,
)
from wendbaar.radar.upload_services import (
    RetryRefused,
    process_upload,
    queue_upload,
    retry_refusal,
    retry_run,
    upload_dir,
)

__all__ = [
    "CHUNK_SIZE", "DASK_CHUNK_SIZE", "WINDOW_ROWS", "Heartbeat", "IngestRefused", "RetryRefused", "RunTakenOver",
    "engine_file",
    "enrich_store", "import_postcodes", "ingest_files", "is_stalled", "isco_codes", "process_upload", "queue_upload",
    "record_failure", "retry_refusal", "retry_run", "runs_dir", "stale_after", "stalled_runs", "store_summary",
    "runs_visible_to", "taxonomy_version", "upload_dir",
]  # fmt: skip
