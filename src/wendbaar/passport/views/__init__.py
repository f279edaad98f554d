"""Pages of the passport, one module per part: the owner's passport, sharing, credentials in public, EVC."""
