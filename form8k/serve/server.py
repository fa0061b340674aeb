"""Run the preview app with uvicorn on a loopback port until Ctrl-C."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from types import FrameType

import uvicorn
from starlette.applications import Starlette

from form8k.errors import UsageError
from form8k.pipeline import Project
from form8k.serve.app import create_app
from form8k.serve.hosts import AllowedHosts

#: The Host headers a preview on loopback answers besides its own address (``hosts``).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (0: any free port), or a UsageError saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {error.strerror}; choose another with --port"
        ) from None
    sock.set_inheritable(True)
    return sock


def serve(
    project: Project,
    *,
    host: str,
    port: int,
    echo: Callable[[str], None],
    debug: bool = False,
) -> None:
    """Serve the preview of ``project`` on ``host``:``port`` until interrupted."""
    sock = bind(host, port)
    # Whatever the address, answer only requests addressed to it or to localhost: a page of
    # another site whose name is made to point here (DNS rebinding) is refused.
    hosts = AllowedHosts.bound(host, sock.getsockname()[0])
    try:
        app = create_app(project, hosts=hosts, log=echo, debug=debug)
    except BaseException:
        sock.close()
        raise
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3
    )
    server = _Server(config, app, ready=lambda: echo(f"form8k preview at {url} (Ctrl-C to stop)"))
    # uvicorn re-raises the Ctrl-C it handled once it has shut down cleanly.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    sock.close()
    echo("form8k preview stopped")


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the pages' event streams when asked to stop.

    An open page keeps its event stream open; uvicorn waits for open responses before it
    shuts down, so without this Ctrl-C would wait for every browser tab to go away.
    """

    def __init__(self, config: uvicorn.Config, app: Starlette, *, ready: Callable[[], None]):
        super().__init__(config)
        self.preview_app = app
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.ready()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        close_streams = getattr(self.preview_app.state, "close_streams", None)
        if close_streams is not None:
            close_streams()
