"""Small Streamlit rendering helpers shared by the views (no domain logic here)."""

from __future__ import annotations

import re

import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: str | None) -> str:
    """User text for st.markdown/st.write: every markdown and directive character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def user_text(text: str | None) -> None:
    """Show what a user typed exactly as text (line breaks kept)."""
    for paragraph in (text or "").split("\n"):
        st.markdown(plain(paragraph) or "\u00a0")
