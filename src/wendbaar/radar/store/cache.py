"""Memos of indicator results and whole radar pages, invalidated when the store's files change.

Both decorators keep results in this process and share them between the server's processes (and the
background worker, which computes the common ones when it lands a run: radar/dashboards/warm.py)
through files under VAR_DIR/cache/radar/<store version>/<taxonomy version or "store">/. So a result is
computed once per version for the whole server, not once per gunicorn worker: at start-up every worker
warmed every dashboard itself, and after each landed run every worker recomputed each indicator it was
asked for. A new version gets a new directory; of the old ones only the one before it is kept (for the
stale answers below), and a process still busy with an older version keeps its results to itself
rather than bring an old directory back.

Stale while revalidating (the idea of RFC 5861): inside a reading request (`may_serve_stale()`, set by
radar/store/per_request.py) a result that is not there yet for the current store version may be
answered with the last result this process had for the same call (or, when it had none, the one
shared for the version before), when the runs it misses landed less
than RADAR_STALE_SECONDS ago; once they landed a third of that ago, a background thread of the
process computes the current one meanwhile. So a page is at most that many seconds behind the store,
no visitor waits for a recompute, and runs landing every few seconds cause one recompute per page every
ten seconds or so rather than one after each run. The background worker computes the common
results right after a run lands (radar/dashboards/warm.py) for pages visited less often.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle  # noqa: S403 - only our own files under VAR_DIR, written by this module
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from wendbaar.radar.store.reading import fresh_store_version, store_version

F = TypeVar("F", bound=Callable[..., Any])
_MAX_ENTRIES = 512
_lock = threading.Lock()
_memo: OrderedDict[tuple, Any] = OrderedDict()
log = logging.getLogger(__name__)
# Per call (without the store version): the last result this process had and its store version; what a
# reading request may answer while the next version's is computed.
_latest: OrderedDict[tuple, tuple[Any, tuple]] = OrderedDict()
_refreshing: set[tuple] = set()
_refresher: ThreadPoolExecutor | None = None
_stale_ok: ContextVar[bool] = ContextVar("wendbaar_radar_stale_ok", default=False)


@contextmanager
def may_serve_stale() -> Iterator[None]:
    """Inside this block a memo of a just-landed version may answer with the previous version's result."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


def store_cached(function: F) -> F:
    """Memoise `function` on its arguments and the store version (least recently used out first).

    For results that depend only on the store (no labels from the database)."""
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
        call = key[:2] + key[3:]
        with _lock:
            if key in _memo:
                _memo.move_to_end(key)
                _keep_latest(call, _memo[key], version)
                return _memo[key]
        shared = _shared_path(version, taxonomy, key[:2] + key[4:])
        result = _read_shared(shared)
        if result is _MISSING:
            stale, refresh = _stale(call, version, shared)
            if stale is not _MISSING:
                if refresh:
                    _refresh_later(call, wrapper, args, kwargs)
                return stale
            token = _stale_ok.set(False)  # what this result is made of must be of its own version
            try:
                result = function(*args, **kwargs)
            finally:
                _stale_ok.reset(token)
            _write_shared(shared, result, version)
        with _lock:
            _memo[key] = result
            while len(_memo) > _MAX_ENTRIES:
                _memo.popitem(last=False)
            _keep_latest(call, result, version)
        return result

    return wrapper  # type: ignore[return-value]


def _keep_latest(call: tuple, result: Any, version: tuple) -> None:
    """Remember `result` as the newest this process had for `call` (the caller holds `_lock`)."""
    kept = _latest.get(call)
    # Most calls are hits of the version already kept (the same tuple within a request): no file scan.
    if kept is not None and kept[1] is not version and _newest(kept[1]) > _newest(version):
        return  # a request that held an older version finished after the newer one
    _latest[call] = (result, version)
    _latest.move_to_end(call)
    while len(_latest) > _MAX_ENTRIES:
        _latest.popitem(last=False)


def _stale(call: tuple, version: tuple, shared: Path) -> tuple[Any, bool]:
    """The previous version's result for `call`, if a reading request may answer with it now, and
    whether to compute the current one meanwhile: only once the result is a third of the window behind,
    so while runs land every few seconds a figure is computed every ten seconds or so, not after each.

    The previous result is this process's own, or else the one another process shared for the version
    before (a process that has not been asked this yet, such as a gunicorn worker just started)."""
    from django.conf import settings

    window = settings.RADAR_STALE_SECONDS
    if not window or not _stale_ok.get():
        return _MISSING, False
    with _lock:
        latest = _latest.get(call)
    if latest is not None:
        result, its_newest = latest[0], _newest(latest[1])
    else:
        result, its_newest = _previous_shared(shared, _newest(version))
        if result is _MISSING:
            return _MISSING, False
    # The runs this result misses are the files written after its version's newest one.
    missed = [mtime for _path, mtime, _size in version[1] if mtime > its_newest]
    behind = time.time() - min(missed) / 1e9 if missed else window + 1
    if behind > window:
        return _MISSING, False  # behind for too long, or files removed or rewritten (not a landed run)
    return result, behind >= window / 3


def _newest(version: tuple) -> int:
    """The newest file time of a store version (nanoseconds)."""
    return max((mtime for _path, mtime, _size in version[1]), default=0)


def _refresh_later(call: tuple, wrapper: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> None:
    """Compute the current version's result in this process's background thread (once per call)."""
    global _refresher
    from django.utils import translation

    with _lock:
        if call in _refreshing:
            return
        _refreshing.add(call)
        if _refresher is None:
            # One thread: the recomputes of a burst queue behind each other instead of crowding the
            # request threads of this process.
            _refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wendbaar-radar-refresh")
    _refresher.submit(_refresh, call, wrapper, args, kwargs, translation.get_language())


def _refresh(call: tuple, wrapper: Callable[..., Any], args: tuple, kwargs: dict[str, Any], language: str) -> None:
    from django.db import connections
    from django.utils import translation

    try:
        with translation.override(language):
            wrapper(*args, **kwargs)  # a new thread holds no version and serves nothing stale
    except Exception:  # noqa: BLE001 - the next request computes it instead
        log.exception("recomputing %s in the background failed", call[:2])
    finally:
        with _lock:
            _refreshing.discard(call)
        connections.close_all()


_MISSING = object()


def shared_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "cache" / "radar"


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:24]


def _shared_path(version: tuple, taxonomy: str | None, call: tuple) -> Path:
    """The file of one call's result: a directory per store version, in it one per taxonomy version
    ("store" for what does not show labels), a file per call (its arguments are strings, numbers, scopes
    and tuples of them, whose repr is stable between processes)."""
    kind = "store" if taxonomy is None else _digest(taxonomy)
    return shared_dir() / _digest(version) / kind / f"{_digest(call)}.pickle"


def _read_shared(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return _MISSING
    try:
        return pickle.loads(data)  # noqa: S301 - our own file (see the module docstring)
    except Exception:  # noqa: BLE001 - a damaged or old-format file is computed again
        return _MISSING


_NEWEST = "newest"  # in a version's directory: its newest file time (ns), for stale answers (`_stale`)


def _previous_shared(path: Path, newest: int) -> tuple[Any, int]:
    """The result shared for the same call under the newest older store version, and that version's
    newest file time; (_MISSING, 0) when there is none."""
    before = _version_before(path.parent.parent, newest)
    if before is None:
        return _MISSING, 0
    result = _read_shared(before[1] / path.parent.name / path.name)
    return result, (before[0] if result is not _MISSING else 0)


def _other_versions(version_dir: Path) -> list[Path]:
    try:
        return [d for d in version_dir.parent.iterdir() if d != version_dir and d.is_dir()]
    except OSError:
        return []


def _recorded_newest(version_dir: Path) -> int | None:
    """The newest file time a version's directory recorded; None when it has none (half made)."""
    try:
        return int((version_dir / _NEWEST).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def _version_before(version_dir: Path, newest: int) -> tuple[int, Path] | None:
    """The newest other version's directory that is older than `newest`, with its newest file time."""
    older = [(n, d) for d in _other_versions(version_dir) if (n := _recorded_newest(d)) is not None and n < newest]
    return max(older) if older else None


def _write_shared(path: Path, result: Any, version: tuple) -> None:
    """Write atomically (another process may read it at once); of the other versions' directories keep
    only the newest older one (what a process may answer with while the current results are computed)."""
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled stays in this process only
        return
    try:
        version_dir = path.parent.parent
        if not version_dir.exists():
            # A request that began before a run landed still computes the old version. Its directory
            # must not come back, nor may it remove the new one that another process already filled.
            if version != fresh_store_version():
                return
            version_dir.mkdir(parents=True, exist_ok=True)
            _write_atomically(version_dir / _NEWEST, str(_newest(version)).encode("ascii"))
            _remove_older_versions(version_dir, _newest(version))
        path.parent.mkdir(exist_ok=True)
        _write_atomically(path, data)
    except OSError:
        return  # a full or read-only disk: the result still serves this process


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _remove_older_versions(version_dir: Path, newest: int) -> None:
    """Remove every other version's directory but the newest one older than this version."""
    before = _version_before(version_dir, newest)
    for other in _other_versions(version_dir):
        if before is None or other != before[1]:
            shutil.rmtree(other, ignore_errors=True)


def _taxonomy_version() -> str:
    from wendbaar.skills.services import cached_taxonomy_version

    return cached_taxonomy_version()


def clear(*, shared: bool = False) -> None:
    """Forget every memoised result of this process (tests that rewrite a store within one mtime tick
    use this); with `shared`, also the files shared with the other processes."""
    with _lock:
        _memo.clear()
        _latest.clear()
    if shared:
        shutil.rmtree(shared_dir(), ignore_errors=True)
