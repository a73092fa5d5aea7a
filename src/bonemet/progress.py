"""Where a long-running call has got to, for whoever wants to show it.

Library code calls :func:`step` as it moves from one stage to the next; it
prints nothing. The command line installs a listener that shows the current
stage on standard error once a command has run for a couple of seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

_listener: Callable[[str], None] | None = None


def step(what: str) -> None:
    """Say that work on ``what`` begins (for example 'loading data/facts.ttl')."""
    if _listener is not None:
        _listener(what)


#: Sent by :func:`settled`: the command now waits (a server that is up), with nothing to report.
SETTLED = "\x00settled"


def settled() -> None:
    """Say that the long work is over and the command only waits now: progress stops."""
    step(SETTLED)


@contextmanager
def listening(listener: Callable[[str], None]):
    """Send every step to ``listener`` for the time of the block."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
