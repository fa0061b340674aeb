"""Watch content/ and templates/; rebuild what a save concerns as soon as the writing stops."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from form8k.serve.preview import Preview

#: Milliseconds without a new change after which a burst of changes (an editor's save:
#: write a temporary file, rename it over the old one) is taken as finished.
QUIET_MS = 30


async def watch_project(
    preview: Preview, *, stop: asyncio.Event, log: Callable[[str], None] = lambda line: None
) -> None:
    """Rebuild on every change under content/ and templates/ until ``stop`` is set."""
    from watchfiles import awatch

    project = preview.project
    async for changes in awatch(
        project.content, project.templates, stop_event=stop, step=QUIET_MS, rust_timeout=500
    ):
        paths = sorted({Path(path) for _, path in changes})
        for path in paths:
            log(f"changed {_shown(path, project.root)}")
        try:
            rebuilt = await preview.refresh(paths)
        except Exception as error:  # a preview must outlive whatever a rebuild runs into
            log(f"form8k: rebuild failed: {type(error).__name__}: {error}")
            continue
        log(f"rebuilt in {rebuilt.seconds * 1000:.0f} ms: {', '.join(rebuilt.keys) or 'nothing'}")


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
