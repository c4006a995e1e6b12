"""A flow run ends without waiting up to a second for Prefect's heartbeat thread."""

from __future__ import annotations

import threading
import time

from prefect import flow_engine

from flows import heartbeat_exit


class _Engine:
    """What `_send_heartbeats` reads of a flow run engine."""

    heartbeat_seconds = 30
    flow_run = None
    logger = __import__("logging").getLogger("test-heartbeats")

    def __init__(self) -> None:
        self.beats = 0

    def _build_heartbeat_event_template(self):
        return {}, []

    def _emit_flow_run_heartbeat(self, resource, related):
        self.beats += 1


def test_leaving_the_run_does_not_join_the_sleeping_heartbeat_thread():
    assert heartbeat_exit.PATCHED
    engine = _Engine()
    before = set(threading.enumerate())
    with flow_engine._send_heartbeats(engine):
        time.sleep(0.2)  # the thread sent its first beat and sleeps in one-second steps
        started = time.perf_counter()
    left = time.perf_counter() - started  # Prefect's join waited here for the next step
    beat_thread = [t for t in threading.enumerate() if t not in before]
    assert engine.beats == 1
    assert left < 0.1
    for thread in beat_thread:  # it still stops by itself, without another beat
        thread.join(timeout=2)
        assert not thread.is_alive()
    assert engine.beats == 1
