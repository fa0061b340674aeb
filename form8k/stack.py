"""Room on the interpreter's frame stack for deep work, such as a filing's build and WeasyPrint's
layout.

CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks, and free a chunk as soon as the call
that opened it returns. A recursion that keeps crossing a chunk's edge (WeasyPrint's layout of
a box tree does, at some depths) maps and unmaps a chunk each time: measured on a build of 20
benchmark filings, 178,000 ``mmap`` calls and their ``munmap``, a tenth of the build's time, in
the kernel and in page faults (CPython issue gh-142183; 3.13 and 3.14 keep one chunk instead).
Which depth crosses an edge depends on how deep the caller already is, so the cost came and went
with unrelated changes.

``with_room`` calls a function from a frame so large that it opens a chunk of 512 KiB of its
own, 258 KiB of it free for what the function calls: a layout about six times as deep as the
deepest measured fits in it, and the chunk is mapped once per call. The frame's unused slots are
never written, so they cost no memory unless an exception's traceback keeps the frame.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: The frame's value-stack slots (8 bytes each): with the interpreter's 1,000 slots of margin,
#: just past 256 KiB, so that the chunk opened is 512 KiB.
ROOMY_SLOTS = 31_769


def with_room(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``function(*args, **kwargs)``, run in a stack chunk of its own (see the module); within
    a call of ``with_room`` already, run as it is (a second large frame would take the room)."""
    if getattr(_thread, "roomy", False):
        return function(*args, **kwargs)
    _thread.roomy = True
    try:
        return _roomy(function, *args, **kwargs)
    finally:
        _thread.roomy = False


def _roomy(function: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    return function(*args, **kwargs)


_thread = threading.local()
if sys.implementation.name == "cpython":
    _roomy.__code__ = _roomy.__code__.replace(co_stacksize=ROOMY_SLOTS)
