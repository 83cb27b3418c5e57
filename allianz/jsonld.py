"""schema.org data as JSON-LD on a detail page (`NewsArticle`, `Event`, `JobPosting`), so search
engines and the members' websites can take the item up.

The JSON is written with every `<`, `>` and `&` as a JSON escape, so no text inside it (a title
with `</script>`) can end the script element; the script has a data type, so the browser never
runs it.
"""

from __future__ import annotations

import json

import streamlit as st


def script(data: dict) -> str:
    """The `<script type="application/ld+json">` element for `data`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>'


def embed(data: dict) -> None:
    """Put the JSON-LD of `data` into the page. Streamlit's HTML element would drop a script
    element when it sanitises; this one carries data only and is never executed."""
    st.html(script(data), unsafe_allow_javascript=True)
