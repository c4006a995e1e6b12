"""Compile GX's Data Docs templates once per process instead of once per report: speed only.

Each Great Expectations view object builds its own Jinja environment, and a report builds new
views, so every report compiled the same 17 page, section and component templates again:
0.19 s of a one-article report (0.3-0.4 s here), on the serial tail of every run through
`newsdesk serve`. Jinja's own bytecode cache is the documented remedy: environments sharing
one keep each template's compiled code, keyed by template name and a checksum of its source,
so an edited template (a GX upgrade, custom views) is compiled afresh. The rendered HTML is
unchanged. If a GX upgrade renames what is patched, the patch is skipped (`PATCHED`).
"""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

__all__ = ["PATCHED", "SharedBytecodeCache"]


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates in this process's memory, shared by every GX view."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a stale checksum resets the bucket itself

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code

    def clear(self) -> None:
        with self._lock:
            self._code.clear()


_SHARED = SharedBytecodeCache()


def _install() -> bool:
    try:
        from great_expectations.render.view.view import DefaultJinjaView
    except ImportError:
        return False
    build = DefaultJinjaView.__init__

    def init_with_shared_cache(self, *args, **kwargs) -> None:
        build(self, *args, **kwargs)
        env = getattr(self, "env", None)
        if env is not None and env.bytecode_cache is None:
            env.bytecode_cache = _SHARED

    DefaultJinjaView.__init__ = init_with_shared_cache
    return True


PATCHED = _install()
