"""Reuse each expectation's configuration within one validation: GX's speed, not its behaviour.

Great Expectations 1.x rebuilds `Expectation.configuration` from the pydantic model on every
access, and one validation reads it ~80 times per expectation: for newsdesk's 125 checks that
was about half of a one-article validation (0.5-0.7 s of 1.4 s here), the largest fixed cost
of a run through `newsdesk serve`. Inside `reused_configurations()` the first configuration
built for an expectation object is returned again; setting any attribute of that object drops
it, so a changed expectation is never described by a stale configuration. Outside the block,
and in other threads, GX behaves exactly as shipped. If a GX upgrade renames what is patched,
the patch is skipped and validation is merely slower (`PATCHED` says which).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from great_expectations.expectations.expectation import Expectation

__all__ = ["PATCHED", "reused_configurations"]

_state = threading.local()  # .cache: {id(expectation): (expectation, configuration)} or None


def _install() -> bool:
    built = getattr(Expectation, "configuration", None)
    if not isinstance(built, property) or built.fget is None:
        return False
    build = built.fget
    set_attribute = Expectation.__setattr__

    def configuration(self: Expectation):
        cache = getattr(_state, "cache", None)
        if cache is None:
            return build(self)
        hit = cache.get(id(self))
        if hit is None:  # the object is kept in the entry, so its id cannot be reused
            hit = cache[id(self)] = (self, build(self))
        return hit[1]

    def setattr_dropping_cache(self: Expectation, name: str, value) -> None:
        cache = getattr(_state, "cache", None)
        if cache is not None:
            cache.pop(id(self), None)
        set_attribute(self, name, value)

    Expectation.configuration = property(configuration, doc=built.__doc__)
    Expectation.__setattr__ = setattr_dropping_cache
    return True


PATCHED = _install()


@contextlib.contextmanager
def reused_configurations() -> Iterator[None]:
    """Within the block (this thread only), build each expectation's configuration once."""
    _state.cache = {}
    try:
        yield
    finally:
        _state.cache = None
