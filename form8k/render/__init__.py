"""Model -> HTML: the 8-K (``report``), the exhibits (``exhibits``), the Markdown they carry
(``text``), with the rules every document follows (``core``); ``renderer`` puts them together
through the Jinja templates."""

from form8k.render.core import (
    DocumentMeta,
    RenderedDocument,
    RenderedFiling,
    RenderError,
    Wording,
    long_date,
    to_ascii,
)
from form8k.render.renderer import STYLES_FILE, Renderer

__all__ = [
    "STYLES_FILE",
    "DocumentMeta",
    "RenderError",
    "RenderedDocument",
    "RenderedFiling",
    "Renderer",
    "Wording",
    "long_date",
    "to_ascii",
]
