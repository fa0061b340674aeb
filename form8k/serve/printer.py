"""The preview's PDF renderer: one child process, one build at a time.

WeasyPrint, Pango and Fontconfig are not safe to use from several threads at once (two PDFs
made in two threads of one process corrupt memory: ``corrupted double-linked list``, GLib
criticals), and a crash in their native code would take the whole preview down. So the preview
never makes a PDF in its own process: ``PdfProcess`` runs the project's PDF builds in a child
process, started in the background once the preview has built its HTML (or by the first PDF
request, when none runs), forked from multiprocessing's fork server, which has WeasyPrint
imported already, and kept for the next requests, so that its stylesheet and fonts are set up
once. The preview sends it one build at a time (``Preview`` serializes them). Its PDFs are
proofs: each page carries the draft mark (``form8k.review.draft``), as ``build --draft`` does.

The child writes into the preview's temporary folder, and its own temporary files (WeasyPrint
copies each font there) go to a folder inside it, which goes when the preview stops. A child
that dies (killed, or a crash in native code) fails the build it was making with
``RendererStopped`` and is started again for the next one; a child whose server is gone exits
(its requests end, and on Linux the kernel ends it when its parent does).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from form8k.errors import Form8kError
from form8k.pipeline import BuildReport, Project, build

#: Imported by the fork server once, so that each renderer it starts has them already.
PRELOAD = ["form8k.builder", "form8k.pdf", "weasyprint", "pypdf", "fontTools.subset"]
#: The renderer's process name (Linux).
PROCESS_NAME = "form8k-pdf"
#: How long a renderer asked to stop may take before it is killed.
STOP_SECONDS = 5.0


class RendererStopped(Exception):
    """The renderer process ended while it was making a PDF."""


class PdfProcess:
    """A builder (``form8k.serve.preview.Builder``) that builds in its own child process.

    Not re-entrant: one call at a time (the preview holds a lock around it). The hooks in
    ``sent`` are called with the child's process id after each request is sent to it (tests
    use them to act while a build runs).
    """

    def __init__(self, project: Project, *, temp: Path) -> None:
        self.project = project
        self.temp = temp
        self.process: Any = None
        self._connection: Connection | None = None
        self._guard = threading.Lock()
        self.sent: list[Callable[[int], None]] = []

    @property
    def pid(self) -> int | None:
        """The renderer's process id, if one runs."""
        return self.process.pid if self.process is not None else None

    def __call__(
        self, folders: Sequence[Path], *, out: Path, formats: Sequence[str]
    ) -> BuildReport:
        request = (list(folders), out, tuple(formats))
        with self._guard:
            connection = self._ready()
            try:
                connection.send(request)
            except OSError:  # it ended while idle: start another
                self._stop(kill=True)
                connection = self._ready()
                connection.send(request)
            process = self.process
            for hook in list(self.sent):
                hook(process.pid)
            try:
                kind, value = connection.recv()
            except (EOFError, OSError):
                how = _describe_exit(process)
                self._stop(kill=True)
                raise RendererStopped(
                    f"the PDF renderer stopped ({how}) while making this PDF; it starts again "
                    f"on the next request"
                ) from None
        if kind == "report":
            report: BuildReport = value
            return report
        error: BaseException = value
        raise error

    def start(self) -> None:
        """Start the renderer now, if none runs (the first PDF then needs no start-up)."""
        with self._guard:
            self._ready()

    def close(self) -> None:
        """Stop the renderer (it ends once its connection closes; killed if it does not)."""
        with self._guard:
            self._stop(kill=False)

    def _ready(self) -> Connection:
        """The connection to a running renderer: the current one, or a new one."""
        if self.process is not None and self._connection is not None and self.process.is_alive():
            return self._connection
        self._stop(kill=True)
        self.temp.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(theirs, self.project, self.temp),
            name="form8k-preview-pdf",
            daemon=True,
        )
        process.start()
        theirs.close()  # the child's end lives in the child only: its death closes the pipe
        self.process, self._connection = process, ours
        return ours

    def _stop(self, *, kill: bool) -> None:
        process, connection = self.process, self._connection
        self.process = self._connection = None
        if connection is not None:
            connection.close()
        if process is None:
            return
        if kill:
            process.kill()
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join(STOP_SECONDS)
        with contextlib.suppress(ValueError):
            process.close()


def _describe_exit(process: Any) -> str:
    """How a renderer that closed its connection ended, e.g. 'killed by SIGSEGV'."""
    process.join(STOP_SECONDS)
    code = process.exitcode
    if code is None:
        return "no answer"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


# --- the child --------------------------------------------------------------------------------


def _serve(connection: Connection, project: Project, temp: Path) -> None:
    """The renderer: build what is asked, one request at a time, until the connection closes."""
    _end_with_parent()
    # Ctrl-C reaches every process of the terminal: the server stops the renderer itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Every temporary file (WeasyPrint's copies of the fonts) goes into the preview's folder.
    os.environ["TMPDIR"] = str(temp)
    tempfile.tempdir = str(temp)
    refreezer = Refreezer()
    while True:
        try:
            folders, out, formats = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        answer = _build(project, folders, out, formats)
        refreezer.after_build()
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


def _build(
    project: Project, folders: list[Path], out: Path, formats: tuple[str, ...]
) -> tuple[str, object]:
    try:
        from form8k.review.draft import DraftMark

        # A proof: every page says DRAFT, the content's version and when it was printed.
        mark = DraftMark.current(project.root)
        report = build(project, out=out, paths=folders, formats=formats, draft=mark)
        for result in report.results:
            result.bundle = None  # not needed by the preview; not worth sending
        return "report", report
    except Exception as error:
        if not isinstance(error, Form8kError):
            error.add_note(f"in the PDF renderer:\n{traceback.format_exc()}")
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        return "error", error


class Refreezer:
    """Keeps ``gc.freeze`` from keeping replaced builders alive in a long-lived process.

    The build freezes everything loaded so far each time it makes a builder (``gc.freeze``:
    frozen objects are never scanned, nor collected), which suits a process that keeps one
    builder. A preview makes a new one after each template change, and the old one's cycles
    (its Jinja environment; for PDFs, its stylesheet, fonts and Fontconfig set-up, about
    11 MiB, and a temporary folder of font files) would stay for as long as it runs. Called
    after each build, this notices a freeze (the count of frozen objects rose: only a freeze
    adds to it) and then collects what is no longer used before freezing the rest again.
    """

    def __init__(self) -> None:
        self.frozen: int | None = None

    def after_build(self) -> None:
        count = gc.get_freeze_count()
        if self.frozen is not None and count > self.frozen:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            count = gc.get_freeze_count()
        self.frozen = count


def _end_with_parent() -> None:
    """Ask Linux to kill this process when the one that started it ends (the fork server,
    which ends when the preview does), and name it ``form8k-pdf`` (``ps``, ``top``)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig, pr_set_name = 1, 15
        libc.prctl(pr_set_name, ctypes.c_char_p(PROCESS_NAME.encode()), 0, 0, 0)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent ended before this was set
            os._exit(0)
