"""Wake `newsdesk serve` as soon as one of its deployments gets a new scheduled run.

Polling alone left a run waiting for the next poll and the API's answer: 0.4-1.5 s from
`create_flow_run` to the serve claiming it, on a one-article run of about 3 s. The Prefect
server emits a `prefect.flow-run.Scheduled` event when a run is created (measured here: 55 ms
later, over its websocket), so the serve listens for those events of its deployments and polls
at once. Polling stays the rule and the fallback: the listener only shortens the wait, and if
it cannot connect (or the connection drops) the serve simply polls on its interval.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable

__all__ = ["wake_on_new_runs"]

RECONNECT_S = 10.0


def wake_on_new_runs(deployment_ids: Iterable[object]) -> threading.Event:
    """Return an Event set whenever one of the deployments gets a scheduled run.

    A daemon thread listens for the rest of the process; it reconnects after
    `RECONNECT_S` when the API goes away.
    """
    wake = threading.Event()
    related = [f"prefect.deployment.{deployment_id}" for deployment_id in deployment_ids]

    def listen_forever() -> None:
        while True:
            try:
                asyncio.run(_listen(related, wake))
            except Exception:  # noqa: BLE001 - the poll loop covers for a lost listener
                pass
            time.sleep(RECONNECT_S)

    threading.Thread(target=listen_forever, name="newsdesk-serve-wake", daemon=True).start()
    return wake


async def _listen(related: list[str], wake: threading.Event) -> None:
    from prefect.events.clients import get_events_subscriber
    from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter

    events = EventFilter(event=EventNameFilter(name=["prefect.flow-run.Scheduled"]),
                         related=EventRelatedFilter(id=related))
    async with get_events_subscriber(filter=events) as subscriber:
        async for _ in subscriber:
            wake.set()
