"""Middleware: one read of the radar store's version per GET or HEAD request.

The memoised indicators, the DuckDB connection and the months all ask for the store version, which
stats every Parquet file; a radar page asked some twenty times. A request that only reads sees one
version throughout (and a change by the next request); requests that may write (POST: an upload with
the immediate task backend) read it afresh each time. A reading request may also be answered with the
previous version's figures while a just-landed version's are computed (store/cache.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wendbaar.radar.store.cache import may_serve_stale
from wendbaar.radar.store.reading import one_version

READING = frozenset({"GET", "HEAD"})


class StoreVersionPerRequest:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READING:
            return self.get_response(request)
        with one_version(), may_serve_stale():
            return self.get_response(request)
