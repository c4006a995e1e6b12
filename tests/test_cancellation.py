"""Cooperative cancellation: the per-run stop flag, and how the serve's listeners set it."""

from __future__ import annotations

import threading
import time
import uuid
from types import SimpleNamespace

import pytest

from flows import cancellation
from flows.serve_wake import CANCELLING_EVENT, SCHEDULED_EVENT, on_event, watch_for_cancelling


def test_a_request_is_seen_only_for_the_watched_run_and_only_while_watched():
    run, other = uuid.uuid4(), uuid.uuid4()
    assert not cancellation.request(run)  # nobody watches it: dropped, not remembered
    with cancellation.watching(run):
        assert not cancellation.is_requested(run)
        assert not cancellation.request(other)
        assert cancellation.request(str(run))  # ids compare as text: UUID or str alike
        assert not cancellation.request(run)  # the first request only, to log it once
        assert cancellation.is_requested(run) and cancellation.is_requested(str(run))
        assert not cancellation.is_requested(other)
    assert not cancellation.is_requested(run)  # forgotten after the run
    with cancellation.watching(run):  # a later execution of the same run starts clean
        assert not cancellation.is_requested(run)


def test_a_run_nobody_watches_is_never_stopped():
    """`newsdesk run --here` watches nothing: its flow run id, or none, is never cancelled."""
    assert not cancellation.is_requested(None)
    assert not cancellation.is_requested(uuid.uuid4())


def test_cancelling_events_stop_the_watched_run_and_scheduled_events_wake_the_poll():
    run, wake = uuid.uuid4(), threading.Event()
    with cancellation.watching(run):
        on_event(SCHEDULED_EVENT, f"prefect.flow-run.{uuid.uuid4()}", wake)
        assert wake.is_set() and not cancellation.is_requested(run)
        wake.clear()
        on_event(CANCELLING_EVENT, f"prefect.flow-run.{uuid.uuid4()}", wake)  # another run
        assert not cancellation.is_requested(run)
        on_event(CANCELLING_EVENT, f"prefect.flow-run.{run}", wake)
        assert cancellation.is_requested(run) and not wake.is_set()


class FakeClient:
    """`read_flow_run` answering the given state types in turn (the last one repeats)."""

    def __init__(self, state_types):
        self.state_types, self.reads = list(state_types), 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def read_flow_run(self, flow_run_id):
        from prefect.client.schemas.objects import StateType

        state_type = self.state_types[min(self.reads, len(self.state_types) - 1)]
        self.reads += 1
        return SimpleNamespace(state=SimpleNamespace(type=StateType(state_type),
                                                     name=state_type.title()))


def _wait(condition, timeout_s=5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("cancel_state", ["CANCELLING", "CANCELLED"])
def test_reading_the_state_stops_the_run_without_events(monkeypatch, cancel_state):
    import prefect

    client = FakeClient(["RUNNING", "RUNNING", cancel_state])
    monkeypatch.setattr(prefect, "get_client", lambda sync_client: client)
    run = uuid.uuid4()
    with watch_for_cancelling(run, poll_s=0.01):
        assert _wait(lambda: cancellation.is_requested(run))
    assert client.reads == 3  # stopped reading once it asked the run to stop
    assert not cancellation.is_requested(run)


def test_a_running_run_is_not_stopped_by_its_state_reads(monkeypatch):
    import prefect

    client = FakeClient(["PENDING", "RUNNING"])
    monkeypatch.setattr(prefect, "get_client", lambda sync_client: client)
    run = uuid.uuid4()
    with watch_for_cancelling(run, poll_s=0.01):
        assert _wait(lambda: client.reads >= 5)
        assert not cancellation.is_requested(run)


def test_ops_runs_records_cancelled_and_refuses_unknown_outcomes(tmp_path):
    import warehouse
    from warehouse.runs import FINISHED_STATUSES

    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.start_run(con, "r1", ["inbox"], None, {})
    warehouse.finish_run(con, "r1", "cancelled", {"articles_loaded": 4,
                                                  "error_message": "cancelled on request"})
    assert con.execute("select status, articles_loaded from ops_runs").fetchall() == [
        ("cancelled", 4)]
    assert "cancelled" in FINISHED_STATUSES
    with pytest.raises(ValueError, match="unknown run status 'canceled'"):
        warehouse.finish_run(con, "r1", "canceled", {})
