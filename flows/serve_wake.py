"""Listen to the Prefect API for `newsdesk serve`: new runs wake it, cancelled runs stop.

Polling alone left a run waiting for the next poll and the API's answer: 0.4-1.5 s from
`create_flow_run` to the serve claiming it, on a one-article run of about 3 s. The Prefect
server emits a `prefect.flow-run.Scheduled` event when a run is created (measured here: 55 ms
later, over its websocket), so the serve listens for those events of its deployments and polls
at once. Polling stays the rule and the fallback: the listener only shortens the wait, and if
it cannot connect (or the connection drops) the serve simply polls on its interval.

The same stream carries `prefect.flow-run.Cancelling` (the UI's "Cancel", `prefect flow-run
cancel`): the listener asks the run the serve executes to stop (flows/cancellation.py).
`watch_for_cancelling` also reads that run's state every `CANCEL_POLL_S` while it executes,
so a cancel still arrives when the event stream does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterable, Iterator

from flows import cancellation

__all__ = ["CANCELLING_EVENT", "CANCEL_POLL_S", "SCHEDULED_EVENT", "on_event",
           "wake_on_new_runs", "watch_for_cancelling"]

RECONNECT_S = 10.0
#: Seconds between reads of an executing run's state (the fallback for a lost event stream).
CANCEL_POLL_S = 2.0
SCHEDULED_EVENT = "prefect.flow-run.Scheduled"
#: Emitted when a run enters Cancelling; named after the state (prefect/server/models/events.py).
CANCELLING_EVENT = "prefect.flow-run.Cancelling"
FLOW_RUN_PREFIX = "prefect.flow-run."


def wake_on_new_runs(deployment_ids: Iterable[object]) -> threading.Event:
    """Return an Event set whenever one of the deployments gets a scheduled run.

    The same listener asks a watched run of the deployments to stop when it enters Cancelling.
    A daemon thread listens for the rest of the process; it reconnects after `RECONNECT_S`
    when the API goes away.
    """
    wake = threading.Event()
    related = [f"prefect.deployment.{deployment_id}" for deployment_id in deployment_ids]

    def listen_forever() -> None:
        while True:
            try:
                asyncio.run(_listen(related, wake))
            except Exception:  # noqa: BLE001 - the poll loops cover for a lost listener
                pass
            time.sleep(RECONNECT_S)

    threading.Thread(target=listen_forever, name="newsdesk-serve-wake", daemon=True).start()
    return wake


def on_event(name: str, resource_id: str, wake: threading.Event) -> None:
    """Act on one event: a new run wakes the poll loop, a cancelling run is asked to stop."""
    if name == CANCELLING_EVENT and resource_id.startswith(FLOW_RUN_PREFIX):
        flow_run_id = resource_id.removeprefix(FLOW_RUN_PREFIX)
        if cancellation.request(flow_run_id):
            _logger().info("flow run %s is cancelling: stopping at the next batch boundary",
                           flow_run_id)
    elif name == SCHEDULED_EVENT:
        wake.set()


async def _listen(related: list[str], wake: threading.Event) -> None:
    from prefect.events.clients import get_events_subscriber
    from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter

    events = EventFilter(event=EventNameFilter(name=[SCHEDULED_EVENT, CANCELLING_EVENT]),
                         related=EventRelatedFilter(id=related))
    async with get_events_subscriber(filter=events) as subscriber:
        async for event in subscriber:
            on_event(event.event, event.resource.id, wake)


@contextlib.contextmanager
def watch_for_cancelling(flow_run_id: object, poll_s: float = CANCEL_POLL_S) -> Iterator[None]:
    """Watch the run this block executes: a cancel (event or state read) asks it to stop."""
    stop = threading.Event()
    with cancellation.watching(flow_run_id):
        poller = threading.Thread(target=_poll_state, args=(flow_run_id, poll_s, stop),
                                  name="newsdesk-serve-cancel-poll", daemon=True)
        poller.start()
        try:
            yield
        finally:
            stop.set()
            poller.join(timeout=poll_s + 5)


def _poll_state(flow_run_id: object, poll_s: float, stop: threading.Event) -> None:
    """Read the run's state every `poll_s` until `stop`; ask it to stop once it is cancelling."""
    import httpx
    from prefect import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound

    with contextlib.ExitStack() as stack:
        client = None
        while not stop.wait(poll_s):
            if client is None:  # made at the first read: a run shorter than poll_s makes none
                client = stack.enter_context(get_client(sync_client=True))
            try:
                state = client.read_flow_run(flow_run_id).state
            except httpx.HTTPError:  # the API restarting or busy: read again next time
                continue
            except ObjectNotFound:  # deleted while running: nothing left to cancel
                return
            # Cancelled already (a forced cancel) stops the work just as Cancelling does.
            if state is not None and state.type in (StateType.CANCELLING, StateType.CANCELLED):
                if cancellation.request(flow_run_id):
                    _logger().info("flow run %s is %s: stopping at the next batch boundary",
                                   flow_run_id, state.name)
                return


def _logger():
    from prefect.logging import get_logger

    return get_logger("newsdesk.serve")
