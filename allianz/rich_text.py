"""Markdown that people write (the text of a news item), turned into HTML safely, in one place.

CommonMark without raw HTML: every `<tag>` a user types is shown as text. Links only to
http(s) and mailto addresses (no `javascript:`, `data:` or `vbscript:`); a link opens with
`rel="nofollow ugc noopener"`. Images in the text are not rendered (a picture comes as the
item's checked photo, never from another server, which the page's security policy would block
anyway and which would tell that server who reads). The page shows the result through
Streamlit's HTML element, which sanitises it once more; feeds carry it as their HTML content.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

SCHEMES = ("http://", "https://", "mailto:")


def _allowed_link(url: str) -> bool:
    return url.strip().lower().startswith(SCHEMES)


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    parser.disable(["image", "html_inline", "html_block"])
    parser.validateLink = _allowed_link

    def link_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "nofollow ugc noopener")
        return renderer.renderToken(tokens, idx, options, env)

    parser.add_render_rule("link_open", link_open)
    return parser


def to_html(text: str | None) -> str:
    """The Markdown `text` as HTML with nothing of the writer's own markup executed."""
    return _parser().render(text or "")


def to_plain(text: str | None, limit: int | None = None) -> str:
    """The text without Markdown marks, on one line (a description for search engines)."""
    blocks = []
    for token in _parser().parse(text or ""):
        if token.type == "inline" and token.children:
            blocks.append(
                "".join(
                    c.content if c.type in ("text", "code_inline") else " "
                    for c in token.children
                    if c.type in ("text", "code_inline", "softbreak", "hardbreak")
                )
            )
    plain = " ".join(" ".join(blocks).split())
    if limit is not None and len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    return plain
