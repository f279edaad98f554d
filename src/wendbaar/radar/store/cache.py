"""In-process memo of indicator results, invalidated when the store's files change."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
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
        key = (function.__module__, function.__qualname__, store_version(), taxonomy, args,
               tuple(sorted(kwargs.items())))  # fmt: skip
        with _lock:
            if key in _memo:
                _memo.move_to_end(key)
                return _memo[key]
        result = function(*args, **kwargs)
        with _lock:
            _memo[key] = result
            while len(_memo) > _MAX_ENTRIES:
                _memo.popitem(last=False)
        return result

    return wrapper  # type: ignore[return-value]


def _taxonomy_version() -> str:
    from wendbaar.skills.services import cached_taxonomy_version

    return cached_taxonomy_version()


def clear() -> None:
    """Forget every memoised result (tests that rewrite a store within one mtime tick use this)."""
    with _lock:
        _memo.clear()
