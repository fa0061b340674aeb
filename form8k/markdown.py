"""Markdown -> HTML that EDGAR accepts in both plain HTML and Inline XBRL (XHTML) documents.

markdown-it-py with raw HTML off and tables on; every element gets its look as a ``style``
attribute (EDGAR allows no ``<style>`` element); tables lose ``thead``/``tbody``; links go only
where EDGAR allows; smart quotes and dashes are on, but not the ``(c)`` -> (c)-sign replacement,
which would corrupt legal citations such as "Rule 13e-4(c)".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import replace_rare
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from form8k.errors import Problem, Severity, SourceLocation

#: Decides where a link may point; returns the href to write, or None to drop the link.
LinkPolicy = Callable[[str], str | None]
#: Maps an image reference to its name in the submission, or None when it cannot be used.
ImagePolicy = Callable[[str], str | None]

DROPPED_TAGS = ("thead", "tbody")


@dataclass
class _Env:
    """What one render call collects: problems with their Markdown line."""

    base: SourceLocation
    links: LinkPolicy
    images: ImagePolicy
    problems: list[Problem] = field(default_factory=list)

    def warn(self, token: Token | None, message: str, *, lines_into: int = 0) -> None:
        """A warning at ``token``'s line, ``lines_into`` lines into it."""
        line = self.base.line
        if line is not None and token is not None and token.map:
            line += token.map[0] + lines_into
        self.problems.append(
            Problem(SourceLocation(self.base.path, line), message, Severity.WARNING)
        )


def _no_links(href: str) -> str | None:
    return None


def _no_images(src: str) -> str | None:
    return None


class MarkdownRenderer:
    """Renders Markdown with one style table; reusable across documents."""

    def __init__(self, styles: Mapping[str, str]) -> None:
        self.styles = dict(styles)
        md = MarkdownIt("js-default", {"typographer": True, "xhtmlOut": True, "linkify": False})
        md.disable(["replacements", "strikethrough"])
        md.enable("smartquotes")
        md.core.ruler.before("smartquotes", "dashes", _dashes)
        md.core.ruler.push("edgar", self._edgar)
        for tag in DROPPED_TAGS:
            md.add_render_rule(f"{tag}_open", _render_nothing)
            md.add_render_rule(f"{tag}_close", _render_nothing)
        self.md = md

    def render(
        self,
        text: str,
        *,
        base: SourceLocation,
        links: LinkPolicy = _no_links,
        images: ImagePolicy = _no_images,
        lead: str | None = None,
        inline: bool = False,
    ) -> tuple[Markup, list[Problem]]:
        """Render ``text``; ``lead`` opens the first paragraph (a press release's dateline)."""
        env = _Env(base, links, images)
        tokens = self.md.parse(text, {"form8k": env})
        if lead:
            created = _prepend_lead(tokens, lead)
            if created is not None:
                self._style(created)
        if inline:
            tokens = _strip_paragraphs(tokens)
        html = self.md.renderer.render(tokens, self.md.options, {"form8k": env})
        return Markup(html.strip()), env.problems

    def _edgar(self, state: StateCore) -> None:
        env: _Env = state.env["form8k"]
        for token in state.tokens:
            self._style(token)
            if token.type == "inline" and token.children:
                token.children = self._inline(token.children, env, token)

    def _style(self, token: Token) -> None:
        if token.nesting == -1 or not token.tag:
            return
        style = self.styles.get(token.tag)
        if style is None:
            return
        own = token.attrGet("style")
        token.attrSet("style", f"{style};{own}" if own else style)

    def _inline(self, children: Sequence[Token], env: _Env, parent: Token) -> list[Token]:
        result: list[Token] = []
        dropped_depth = 0
        breaks = 0
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                target = env.links(href)
                if target is None:
                    env.warn(
                        parent,
                        f"link to {href!r} written as plain text: EDGAR accepts links only to "
                        "documents of the same submission or to EDGAR's archives",
                        lines_into=breaks,
                    )
                    dropped_depth += 1
                    continue
                child.attrSet("href", target)
            elif child.type == "link_close" and dropped_depth:
                dropped_depth -= 1
                continue
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                name = env.images(src)
                if name is None:
                    env.warn(
                        parent,
                        f"image {src!r} left out: it is not a usable .jpg or .gif file",
                        lines_into=breaks,
                    )
                    continue
                child.attrSet("src", name)
            self._style(child)
            result.append(child)
        return result


def _render_nothing(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return ""


def _dashes(state: StateCore) -> None:
    """Dashes, ellipses and plus-minus only (markdown-it's "rare" replacements)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            replace_rare(token.children)


def _prepend_lead(tokens: list[Token], lead: str) -> Token | None:
    """Open the first paragraph with ``lead``; return the paragraph made for it, if any."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            text = Token("text", "", 0)
            text.content = lead
            inline.children = [text, *(inline.children or [])]
            return None
    paragraph = Token("paragraph_open", "p", 1)
    inline = Token("inline", "", 0, children=[])
    text = Token("text", "", 0)
    text.content = lead
    inline.children = [text]
    tokens[:0] = [paragraph, inline, Token("paragraph_close", "p", -1)]
    return paragraph


def _strip_paragraphs(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.type not in ("paragraph_open", "paragraph_close")]
