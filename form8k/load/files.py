"""Files that content names: resolved against the file that names them, kept inside the
project, and (for images) checked to be what their name says."""

from __future__ import annotations

from pathlib import Path

from form8k.errors import Problem, SourceLocation, did_you_mean
from form8k.load.text import LoadError

GRAPHIC_SUFFIXES = (".jpg", ".gif")


def resolve_reference(
    value: str, *, location: SourceLocation, root: Path, suffixes: tuple[str, ...] = ()
) -> Path:
    """Resolve a file named in content, relative to the file that names it; refuse escapes."""
    base = location.path.parent
    candidate = (base / value).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} is outside the project; content may only use project files",
                )
            ]
        )
    if suffixes and candidate.suffix.lower() not in suffixes:
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} must be a {' or '.join(suffixes)} file "
                    "(EDGAR accepts no other images)",
                )
            ]
        )
    if candidate.is_dir():
        raise LoadError([Problem(location, f"{value!r} is a folder; name a file")])
    if not candidate.is_file():
        siblings = (
            [p.name for p in candidate.parent.iterdir() if p.is_file()]
            if candidate.parent.is_dir()
            else []
        )
        raise LoadError(
            [
                Problem(
                    location, f"file {value!r} not found" + did_you_mean(candidate.name, siblings)
                )
            ]
        )
    if suffixes and not image_matches_suffix(candidate):
        raise LoadError(
            [
                Problem(
                    location,
                    f"{value!r} is not a {candidate.suffix.lower()[1:].upper()} image: its content "
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
