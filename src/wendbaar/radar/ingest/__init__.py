"""Reading vacancy files: one reader per format, then one validator for all of them.

Readers turn bytes into `RawRecord`s (file, line, field values); `validate.py` turns a raw record
into a clean vacancy or a list of field errors. Nothing here writes anywhere.
"""

from wendbaar.radar.ingest.formats import read_file, supported_suffixes
from wendbaar.radar.ingest.records import FIELDS, FieldError, RawRecord

__all__ = ["FIELDS", "FieldError", "RawRecord", "read_file", "supported_suffixes"]
