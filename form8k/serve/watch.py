"""Watch content/, templates/ and form8k.yaml; rebuild what a save concerns once the writing stops.

Two watchers: one over content/ and templates/ (every folder below them), and one over the
project folder itself, not below it, for its form8k.yaml (rule severities: a change rebuilds
every filing). The project folder is not watched whole: output/, .venv/ and the like would
cost a watch per folder and wake the preview for every file a build or an install writes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from form8k.project import CONFIG_FILE
from form8k.serve.preview import Preview

#: Milliseconds without a new change after which a burst of changes (an editor's save:
#: write a temporary file, rename it over the old one) is taken as finished.
QUIET_MS = 30
#: Milliseconds an idle watcher waits before it reports that it is (still) watching: the
#: longest a start waits to know its watchers are set up, and how often they wake when idle.
IDLE_MS = 250


async def watch_project(
    preview: Preview,
    *,
    stop: asyncio.Event,
    log: Callable[[str], None] = lambda line: None,
    ready: asyncio.Event | None = None,
) -> None:
    """Rebuild on every change under content/ and templates/, and to form8k.yaml, until ``stop``
    is set. ``ready`` is set once both watchers watch: any change after that is seen."""
    from watchfiles import Change, DefaultFilter, awatch

    project = preview.project
    config = project.root / CONFIG_FILE

    def is_config(change: Change, path: str) -> bool:
        return Path(path) == config

    def changes(
        *paths: Path, recursive: bool = True, watch_filter: Callable[[Change, str], bool] | None
    ) -> AsyncIterator[set[tuple[Change, str]]]:
        return awatch(
            *paths,
            watch_filter=watch_filter,
            recursive=recursive,
            stop_event=stop,
            step=QUIET_MS,
            rust_timeout=IDLE_MS,
            yield_on_timeout=True,
        )

    watchers = [
        changes(project.content, project.templates, watch_filter=DefaultFilter()),
        changes(project.root, recursive=False, watch_filter=is_config),
    ]
    started = [asyncio.Event() for _ in watchers]

    async def follow(
        watcher: AsyncIterator[set[tuple[Change, str]]], watching: asyncio.Event
    ) -> None:
        # Every yield, an empty one after IDLE_MS without changes included, means it watches.
        async for batch in watcher:
            watching.set()
            if ready is not None and all(event.is_set() for event in started):
                ready.set()
            if batch:
                await _rebuild(preview, sorted({Path(path) for _, path in batch}), log)

    # One watcher failing (a folder gone, say) ends the other: no half-watched preview.
    async with asyncio.TaskGroup() as group:
        for watcher, watching in zip(watchers, started, strict=True):
            group.create_task(follow(watcher, watching))


async def _rebuild(preview: Preview, paths: list[Path], log: Callable[[str], None]) -> None:
    for path in paths:
        log(f"changed {_shown(path, preview.root)}")
    try:
        rebuilt = await preview.refresh(paths)
    except Exception as error:  # a preview must outlive whatever a rebuild runs into
        log(f"form8k: rebuild failed: {type(error).__name__}: {error}")
        return
    log(f"rebuilt in {rebuilt.seconds * 1000:.0f} ms: {', '.join(rebuilt.keys) or 'nothing'}")


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
