"""A test hook: stop a run at a named point so the crash tests can SIGKILL it there.

Inert unless NEWSDESK_TEST_PAUSE_AT names the point, e.g. "publish:1" (inside the publish
transaction of batch 1, before commit) or "extract:1" (extraction of batch 1). When it does, the
process writes its pid to NEWSDESK_TEST_PAUSE_MARKER (if set) and sleeps, waiting to be killed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["PAUSE_ENV", "pause_point"]

PAUSE_ENV = "NEWSDESK_TEST_PAUSE_AT"
MARKER_ENV = "NEWSDESK_TEST_PAUSE_MARKER"
PAUSE_SECONDS = 600


def pause_point(name: str, batch_index: int) -> None:
    """Sleep here when NEWSDESK_TEST_PAUSE_AT is "<name>:<batch_index>"; otherwise return."""
    if os.environ.get(PAUSE_ENV) != f"{name}:{batch_index}":
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
