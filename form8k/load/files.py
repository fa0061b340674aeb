"""Files that content names: resolved against the file that names them, kept inside the
project, and (for images) checked to be what their name says."""

from __future__ import annotations

from pathlib import Path

from form8k.errors import Problem, SourceLocation, did_you_mean
from form8k.load.limits import clip
from form8k.load.text import LoadError

GRAPHIC_SUFFIXES = (".jpg", ".gif")


def require_inside(path: Path, root: Path) -> None:
    """Refuse a content file (filing.yaml, company.yaml) that is a link to a file outside the
    project: it would be read, and its keys and values shown in messages (and so in CI logs).
    A link to a file inside the project is followed."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise LoadError(
            [
                Problem(
                    SourceLocation(path),
                    f"{path.name} is a link to a file outside the project; content may only "
                    "use project files",
                )
            ]
        )


def resolve_reference(
    value: str, *, location: SourceLocation, root: Path, suffixes: tuple[str, ...] = ()
) -> Path:
    """Resolve a file named in content, relative to the file that names it; refuse escapes."""
    try:
        return _resolve(value, location=location, root=root, suffixes=suffixes)
    except (OSError, ValueError) as error:
        # A name the system cannot take: too long, a NUL character in it, a loop of links.
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise LoadError([Problem(location, f"cannot use file {clip(value)}: {reason}")]) from None


def _resolve(
    value: str, *, location: SourceLocation, root: Path, suffixes: tuple[str, ...]
) -> Path:
    shown = clip(value)
    base = location.path.parent
    candidate = (base / value).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise LoadError(
            [
                Problem(
                    location, f"{shown} is outside the project; content may only use project files"
                )
            ]
        )
    if suffixes and candidate.suffix.lower() not in suffixes:
        raise LoadError(
            [
                Problem(
                    location,
                    f"{shown} must be a {' or '.join(suffixes)} file "
                    "(EDGAR accepts no other images)",
                )
            ]
        )
    if candidate.is_dir():
        raise LoadError([Problem(location, f"{shown} is a folder; name a file")])
    if not candidate.is_file():
        siblings = (
            [p.name for p in candidate.parent.iterdir() if p.is_file()]
            if candidate.parent.is_dir()
            else []
        )
        raise LoadError(
            [Problem(location, f"file {shown} not found" + did_you_mean(candidate.name, siblings))]
        )
    if suffixes and not image_matches_suffix(candidate):
        raise LoadError(
            [
                Problem(
                    location,
                    f"{shown} is not a {candidate.suffix.lower()[1:].upper()} image: its content "
                    "is no image EDGAR accepts",
                )
            ]
        )
    return candidate


#: How the images EDGAR takes begin. EDGAR's rules ask that a .jpg hold a JPEG and a .gif a
#: GIF, but EDGAR accepted a PNG named .jpg (Adobe, 2023-03-15, ``image.jpg``) and the SEC's
#: validator does not object, so any of the three is taken under either name.
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"\x89PNG\r\n\x1a\n")


def image_matches_suffix(path: Path) -> bool:
    """Whether a .jpg or .gif file holds an image EDGAR takes (JPEG, GIF, or PNG)."""
    with open(path, "rb") as stream:
        head = stream.read(8)
    return any(head.startswith(signature) for signature in IMAGE_SIGNATURES)
