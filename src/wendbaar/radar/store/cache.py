"""Memos of indicator results and whole radar pages, invalidated when the store's files change.

`store_cached` keeps results in this process. `page_cached` (a whole page: its charts cost most)
also shares them between the server's processes through files under VAR_DIR/cache/radar/<version>/,
so a page is computed once per store and taxonomy version, not once per gunicorn worker: at start-up
every worker warmed every dashboard itself, and after each landed run every worker recomputed each
page it was asked for. A new version gets a new directory and the old ones are removed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle  # noqa: S403 - only our own files under VAR_DIR, written by this module
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from wendbaar.radar.store.reading import store_version

F = TypeVar("F", bound=Callable[..., Any])
_MAX_ENTRIES = 512
_lock = threading.Lock()
_memo: OrderedDict[tuple, Any] = OrderedDict()


def store_cached(function: F) -> F:
    """Memoise `function` on its arguments and the store version (least recently used out first)."""
    return _memoised(function, with_taxonomy=False)


def page_cached(function: F) -> F:
    """Memoise a whole page's data on its arguments, the store version and the taxonomy version.

    For what also shows ESCO labels (read from the database): an ESCO import or a coordinator's label
    bumps the taxonomy version (`skills.services`), which other processes see within its 2-second TTL.
    The page's language must be one of the arguments.
    """
    return _memoised(function, with_taxonomy=True)


def _memoised(function: F, *, with_taxonomy: bool) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        taxonomy = _taxonomy_version() if with_taxonomy else None
        version = store_version()
        key = (function.__module__, function.__qualname__, version, taxonomy, args, tuple(sorted(kwargs.items())))
        with _lock:
            if key in _memo:
                _memo.move_to_end(key)
                return _memo[key]
        shared = _shared_path(version, taxonomy, key[:2] + key[4:]) if with_taxonomy else None
        result = _read_shared(shared) if shared else _MISSING
        if result is _MISSING:
            result = function(*args, **kwargs)
            if shared:
                _write_shared(shared, result)
        with _lock:
            _memo[key] = result
            while len(_memo) > _MAX_ENTRIES:
                _memo.popitem(last=False)
        return result

    return wrapper  # type: ignore[return-value]


_MISSING = object()


def shared_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "cache" / "radar"


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:24]


def _shared_path(version: tuple, taxonomy: str | None, call: tuple) -> Path:
    """The file of one call's result: a directory per store and taxonomy version, a file per call (its
    arguments are strings and tuples of them, whose repr is stable between processes)."""
    return shared_dir() / _digest((version, taxonomy)) / f"{_digest(call)}.pickle"


def _read_shared(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return _MISSING
    try:
        return pickle.loads(data)  # noqa: S301 - our own file (see the module docstring)
    except Exception:  # noqa: BLE001 - a damaged or old-format file is computed again
        return _MISSING


def _write_shared(path: Path, result: Any) -> None:
    """Write atomically (another process may read it at once); remove the other versions' directories."""
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled stays in this process only
        return
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            for other in path.parent.parent.iterdir():
                if other != path.parent and other.is_dir():
                    shutil.rmtree(other, ignore_errors=True)  # an older store or taxonomy version
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a full or read-only disk: the result still serves this process


def _taxonomy_version() -> str:
    from wendbaar.skills.services import cached_taxonomy_version

    return cached_taxonomy_version()


def clear(*, shared: bool = False) -> None:
    """Forget every memoised result of this process (tests that rewrite a store within one mtime tick
    use this); with `shared`, also the files shared with the other processes."""
    with _lock:
        _memo.clear()
    if shared:
        shutil.rmtree(shared_dir(), ignore_errors=True)
