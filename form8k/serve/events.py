"""Server-sent events: tell each open page the current version of what it shows.

A page subscribes with the filing it shows (or none: the listing). It is sent the current
version at once, which covers a rebuild that finished while the page was loading, and again
after every rebuild that concerns it; the page reloads when the version differs from its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from form8k.serve.preview import Rebuilt

#: How long an idle stream waits before sending a comment, to notice pages that went away.
KEEPALIVE_SECONDS = 15.0
#: How soon a page reconnects after the stream drops (e.g. the server was restarted).
RETRY_MILLISECONDS = 500


class Channel:
    """Fans rebuilds out to the open pages' event streams, until closed."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Rebuilt | None]] = set()
        self.closed = False

    def publish(self, rebuilt: Rebuilt) -> None:
        """Tell every open stream about a rebuild."""
        for queue in self._queues:
            queue.put_nowait(rebuilt)

    def close(self) -> None:
        """End every stream (the server is stopping); streams opened later end at once."""
        self.closed = True
        for queue in self._queues:
            queue.put_nowait(None)

    @property
    def streams(self) -> int:
        """How many pages are listening."""
        return len(self._queues)

    async def stream(self, key: str | None, version: Callable[[], int]) -> AsyncIterator[str]:
        """The event stream of a page showing filing ``key`` (None: the listing)."""
        queue: asyncio.Queue[Rebuilt | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield f"retry: {RETRY_MILLISECONDS}\n\n"
            yield _event(version())
            while not self.closed:
                try:
                    rebuilt = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if rebuilt is None:
                    break
                if key is None or key in rebuilt.keys:
                    yield _event(version())
        finally:
            self._queues.discard(queue)


def _event(version: int) -> str:
    return f"event: version\ndata: {version}\n\n"
