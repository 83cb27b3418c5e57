"""Shared rules for files people open: spreadsheets (formulas) and Markdown viewers (HTML)."""


def neutralise(value) -> str:
    """Spreadsheets run cells starting with = + - @ (or tab/CR) as formulas: prefix a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|~$:="
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(value) -> str:
    """User text for a Markdown file: HTML characters as entities, Markdown syntax escaped,
    so a viewer shows `<script>` as text and never runs or formats it."""
    text = "" if value is None else str(value)
    out = []
    for ch in text:
        if ch in _HTML:
            out.append(_HTML[ch])
        elif ch in _MARKDOWN_SPECIAL:
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)
