"""The radar store's Parquet layout, shared by the pipeline (part 1) and the indicators (part 2).

The store lives under `settings.STORE_DIR`:

    vacancies/month=YYYY-MM/<run>-<n>.parquet        one row per unique vacancy, enriched
    vacancy_skills/month=YYYY-MM/<run>-<n>.parquet   one row per (vacancy, skill), denormalised
                                                      with region and occupation so skill
                                                      questions need no join

Hive partitioning on `month` lets DuckDB prune months; `region_code` and `occupation_uri` are
dictionary-encoded strings, so group-bys over tens of millions of rows stay fast.
"""

from __future__ import annotations

import pyarrow as pa

VACANCIES = pa.schema(
    [
        ("vacancy_id", pa.string()),  # our UUID
        ("source", pa.string()),
        ("source_id", pa.string()),
        ("title", pa.string()),
        ("description", pa.string()),
        ("employer_name", pa.string()),
        ("kvk", pa.string()),
        ("municipality_code", pa.string()),  # GM0599
        ("region_code", pa.string()),  # AM22
        ("posted_date", pa.date32()),
        ("valid_through", pa.date32()),
        ("hours_per_week", pa.float32()),
        ("education_level", pa.string()),
        ("url", pa.string()),
        ("text_hash", pa.string()),  # for near-duplicate detection and change detection
        ("run_id", pa.string()),
        ("occupation_uri", pa.string()),
        ("occupation_score", pa.float32()),
        ("isco_code", pa.string()),  # 4-digit ISCO-08 unit group, e.g. "8332"
        ("engine_version", pa.string()),
        ("taxonomy_version", pa.string()),
        ("is_synthetic", pa.bool_()),
        ("true_occupation_uri", pa.string()),  # synthetic data only: what the generator planted
        # Added by the pipeline (part 1); readers should select columns by name.
        ("postcode", pa.string()),  # PC4 as given, kept even when it resolved to a municipality
        ("language", pa.string()),  # nl / en, as detected at enrichment
        ("dedup_key", pa.string()),  # hash of normalised employer | title | region, for near-duplicates
        ("description_truncated", pa.bool_()),
        ("occupation_label", pa.string()),
        ("occupation_evidence", pa.string()),  # JSON: {"label": ..., "evidence": [...], "alternatives": [...]}
        ("true_skill_uris", pa.list_(pa.string())),  # synthetic data only
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("enriched_at", pa.timestamp("us", tz="UTC")),
    ]
)

VACANCY_SKILLS = pa.schema(
    [
        ("vacancy_id", pa.string()),
        ("skill_uri", pa.string()),
        ("score", pa.float32()),
        ("region_code", pa.string()),
        ("occupation_uri", pa.string()),
        ("isco_code", pa.string()),
        ("posted_date", pa.date32()),
        # Added by the pipeline (part 1).
        ("skill_label", pa.string()),
        ("evidence", pa.string()),  # JSON list of the text snippets that evidence the skill
        ("engine_version", pa.string()),
        ("taxonomy_version", pa.string()),
    ]
)

# The hive partition column, present in every DuckDB view but not stored inside the files.
PARTITION = "month"


def conform(table: pa.Table, table_schema: pa.Schema) -> pa.Table:
    """Return `table` with exactly the schema's columns, in order, missing ones as nulls."""
    columns = []
    for f in table_schema:
        if f.name in table.column_names:
            columns.append(table.column(f.name).cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, type=f.type))
    return pa.Table.from_arrays(columns, schema=table_schema)
