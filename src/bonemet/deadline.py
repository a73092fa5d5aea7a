"""Work with a deadline: a call runs in a worker thread while this one waits, so that the
whole call (not each read of it) is bounded in time and Ctrl-C stops the wait at once.

Oxigraph evaluates queries without holding Python's lock, and sockets wait without it, so
the waiting thread stays free to notice the deadline or an interrupt.
"""

from __future__ import annotations

import threading

TYPE_CHECKING = False  # typing costs a named question 4 ms at start-up; only checkers need it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


class DeadlinePassed(Exception):
    """The call did not finish in time; it is abandoned (its thread ends with the process)."""


def run(call: "Callable[[], T]", seconds: float | None) -> "T":
    """``call()``, or :class:`DeadlinePassed` after ``seconds`` (None: no limit)."""
    if seconds is None:
        return call()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the waiting thread, which raises it
            outcome["error"] = error

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)  # Ctrl-C interrupts this wait
    if worker.is_alive():
        raise DeadlinePassed()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
