"""The analytics store: Parquet files per month written here, read through DuckDB views."""
