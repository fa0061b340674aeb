"""form8k.stack.with_room: deep work runs in a stack chunk of its own, mapped once per call."""

from __future__ import annotations

import resource
import sys
import threading

import pytest

from form8k.stack import with_room


def descend(depth: int) -> int:
    return 0 if depth == 0 else 1 + descend(depth - 1)


def dives(times: int, depth: int) -> int:
    """Go ``depth`` calls deep and back, ``times`` times: about 20 KB of frames each time, more
    than a 16 KiB stack chunk, so that without room every dive opens and frees a chunk."""
    for _ in range(times):
        descend(depth)
    return times


def page_faults(function: object, *args: object) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function(*args)  # type: ignore[operator]
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_deep_calls_within_room_map_no_stack_chunk_each_time() -> None:
    with_room(dives, 50, 300)  # (the chunk's pages are touched once)
    assert page_faults(with_room, dives, 2_000, 300) < 200


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 13),
    reason="CPython 3.13 and later keep a freed stack chunk for the next call",
)
def test_without_room_each_dive_maps_a_chunk_again() -> None:
    """The cost with_room avoids, on the interpreters that have it: a fresh chunk a dive."""
    assert page_faults(dives, 2_000, 300) >= 2_000


def test_with_room_returns_raises_and_nests() -> None:
    assert with_room(lambda a, *, b: a + b, 1, b=2) == 3
    assert with_room(with_room, descend, 100) == 100

    def fail() -> None:
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        with_room(fail)
    assert with_room(descend, 10) == 10  # the room is given again after an error

    results: list[int] = []
    thread = threading.Thread(target=lambda: results.append(with_room(descend, 200)))
    thread.start()
    thread.join()
    assert results == [200]
