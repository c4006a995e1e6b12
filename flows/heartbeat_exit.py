"""End a flow run without waiting for Prefect's heartbeat thread to wake: speed only.

Prefect 3's sync flow engine sends a heartbeat every `flows.heartbeat_frequency` seconds (180
by default) from a thread that sleeps in one-second steps, and on leaving the run it joins that
thread, so every run ended 0-1 s (0.5 s on average) after its final state was recorded: the
largest part of the gap before `newsdesk serve` could claim its next run. Prefect's async
engine already leaves without the join (`join_on_exit=False`), and the thread stops by itself
within a second once told to, without sending another heartbeat (it checks the stop flag and
the run's final state first). newsdesk's flows do the same. Heartbeats while a run is going
are unchanged. If a Prefect upgrade renames what is patched, nothing is patched (`PATCHED`).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator

__all__ = ["PATCHED"]


def _install() -> bool:
    from prefect import flow_engine

    shipped = getattr(flow_engine, "_send_heartbeats", None)
    if shipped is None or "join_on_exit" not in inspect.signature(shipped).parameters:
        return False

    @contextlib.contextmanager
    def heartbeats_without_join(engine, join_on_exit: bool = True) -> Iterator[None]:
        with shipped(engine, join_on_exit=False):
            yield

    flow_engine._send_heartbeats = heartbeats_without_join
    return True


PATCHED = _install()
