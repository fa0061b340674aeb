"""A project on disk: where content and templates are, which filings there are. Light to import.

Kept apart from the loader so that a build with nothing to do can find its filings and compare
fingerprints without importing pydantic, Jinja or WeasyPrint.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from form8k.errors import UsageError

COMPANY_FILE = "company.yaml"
FILING_FILE = "filing.yaml"
CONFIG_FILE = "form8k.yaml"


def builtin_templates() -> Path:
    """form8k's own templates: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@dataclass(frozen=True)
class Project:
    """A project folder: content/ (the input) and, if it changes the look, templates/."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def own_templates(self) -> bool:
        """Whether the project has templates of its own (else form8k's are used)."""
        return (self.root / "templates").is_dir()

    @property
    def templates(self) -> Path:
        """The project's templates/, or form8k's own when it has none."""
        own = self.root / "templates"
        return own if own.is_dir() else builtin_templates()

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project at ``root``, or a UsageError naming what is missing."""
        root = root.resolve()
        if not (root / "content").is_dir():
            raise UsageError(
                f"{root}: no content/ folder here; is this a form8k project? "
                "(`form8k init` makes one)"
            )
        return cls(root)

    def key(self, folder: Path) -> str:
        """A filing's name: its folder relative to content/, e.g. ``acme/2025-11-06``."""
        return folder.relative_to(self.content).as_posix()


def find_filings(content: Path) -> list[Path]:
    """Every folder under content/ that holds a filing.yaml, in sorted order."""
    return scan(content).folders


@dataclass
class Selection:
    """The filing folders a command works on, and the linked folders it leaves out."""

    folders: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)
    """Symbolic links to folders that hold filings: never followed, so never built."""


#: How deep below a symbolic link, and through how many folders, a filing.yaml is looked for.
LINK_DEPTH = 3
LINK_FOLDERS = 200


def scan(folder: Path) -> Selection:
    """The filings at or below ``folder`` (links to folders are not followed: a filing reached
    through one would be built twice, or from outside the project), and the links to folders
    that hold a filing, so that they can be named rather than skipped without a word."""
    found = Selection()
    for directory, subfolders, files in os.walk(folder):
        here = Path(directory)
        if FILING_FILE in files and (here / FILING_FILE).is_file():
            found.folders.append(here)
        for name in subfolders:
            if os.path.islink(here / name) and _holds_filing(here / name):
                found.links.append(here / name)
    found.folders.sort()
    found.links.sort()
    return found


def _holds_filing(link: Path) -> bool:
    """Whether a linked folder holds a filing.yaml, near enough to look (a bounded walk)."""
    walk = os.walk(link, followlinks=False)
    for visited, (directory, subfolders, files) in enumerate(walk, start=1):
        if FILING_FILE in files or visited > LINK_FOLDERS:
            return FILING_FILE in files
        if len(Path(directory).relative_to(link).parts) >= LINK_DEPTH:
            subfolders.clear()
    return False


def select_filings(project: Project, paths: Sequence[Path]) -> list[Path]:
    """Filing folders under content/: all of them, or those at or below ``paths``."""
    return select(project, paths).folders


def select(project: Project, paths: Sequence[Path]) -> Selection:
    """Filing folders under content/ (all, or those at or below ``paths``), and the links to
    folders of filings found on the way."""
    if not paths:
        return scan(project.content)
    chosen = Selection()
    for path in paths:
        resolved = path.resolve()
        if resolved.name == FILING_FILE:
            resolved = resolved.parent
        if not resolved.exists():
            raise UsageError(f"{path}: no such file or folder")
        if not resolved.is_relative_to(project.content):
            raise UsageError(f"{path}: not inside {project.content}")
        found = scan(resolved)
        if not found.folders:
            raise UsageError(f"{path}: no {FILING_FILE} at or below this folder")
        chosen.folders += [folder for folder in found.folders if folder not in chosen.folders]
        chosen.links += [link for link in found.links if link not in chosen.links]
    return chosen


def check_out(project: Project, out: Path) -> Path:
    """Refuse an output folder that would overwrite the project's own files."""
    out = out.resolve()
    if out == project.root:
        raise UsageError(f"{out}: the output folder may not be the project folder itself")
    protected_folders = [project.content]
    if project.own_templates:
        protected_folders.append(project.templates)
    for protected in protected_folders:
        if out.is_relative_to(protected):
            raise UsageError(f"{out}: the output folder may not be {protected.name}/ or inside it")
    return out
