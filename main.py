"""The Streamlit script run on every interaction: builds the navigation for the user's role."""

import copy
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from allianz import assets, auth, database, features, navigation, web_session

st.set_page_config(
    page_title="Allianz-Werkstatt",
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
)

# Captions in Streamlit's default grey miss the WCAG AA contrast of 4.5:1 on white.
READABLE_CSS = (
    '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p '
    "{ color: #4a4d57 !important; opacity: 1 !important; }"
    # The element that loads german-ui.js takes no room on the page.
    ' [data-testid="stElementContainer"]:has(script[data-allianz="german-ui"])'
    " { display: none !important; }"
    # Links in the page (lists of meetings, hours, developments) wrap on a phone instead of
    # being cut off after the first 40 characters.
    ' [data-testid="stMain"] [data-testid="stPageLink"] *'
    " { white-space: normal !important; overflow: visible !important;"
    " text-overflow: clip !important; height: auto !important; }"
    # On a phone the tabs wrap onto a second line instead of hiding behind a scroll arrow.
    ' @media (max-width: 640px) { [data-testid="stTabs"] [role="tablist"]'
    " { flex-wrap: wrap !important; row-gap: 0.25rem; } }"
)


@st.cache_resource
def _page_prototypes(registered: tuple[str, ...]) -> dict[str, StreamlitPage]:
    """Every page, built once per process and set of registered pages: `st.Page` resolves and
    checks its file on the disk, and building all of them took a sixth of a busy process's
    time. Each run gets copies, because `st.navigation` marks the page it runs on the object."""
    return {
        spec.path: st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default)
        for spec in features.pages()
    }


def _run() -> None:
    if web_session.oidc_enabled():
        errors = auth.oidc_settings_errors(dict(st.secrets["auth"]))
        if errors:
            st.error("Anmelde-Konfiguration unsicher: " + "; ".join(errors))
            st.stop()
    try:
        web_session.db()
        user = web_session.current_user()
    except database.DatabaseStateError as exc:
        st.error(f"Die Datenbank ist nicht bereit: {exc}")
        st.stop()
    allowed = navigation.pages_for(user.role)
    # Every page is routable, so a URL a role may not open (a bookmark, a link after signing
    # out) reaches the page, which refuses in German; the sidebar lists only allowed pages.
    registered = tuple(spec.path for spec in features.pages())
    pages = {path: copy.copy(page) for path, page in _page_prototypes(registered).items()}
    current = st.navigation(list(pages.values()), position="hidden")
    # Our own sidebar: plain links under section headings (Streamlit's built-in menu nests
    # headings inside its list, which screen readers announce wrongly), always expanded.
    st.html(f"<style>{READABLE_CSS}</style>")
    # Streamlit's own English texts in German (no translation exists): our script, served
    # from this server; unchanged between runs, so the browser keeps the element and the
    # script (which also guards against a second start) runs once per page load.
    st.html(
        f'<script data-allianz="german-ui" src="{assets.own_url("german-ui.js")}"></script>',
        unsafe_allow_javascript=True,
    )
    with st.sidebar:
        st.caption(web_session.alliance().name)
        st.caption(f"Angemeldet: {user.display_name}" if user.signed_in else "Nicht angemeldet")
        for section, specs in navigation.by_section(allowed):
            st.markdown(f"**{section}**")
            for spec in specs:
                st.page_link(pages[spec.path], label=spec.title, icon=spec.icon)
    if not st.query_params:
        # A sidebar link to the page already shown (a detail's own list) reruns it without the
        # detail's key, but Streamlit leaves the key in the address bar and sends it with the
        # next click, which reopened the detail: tell the browser the query is empty now.
        st.query_params.clear()
    current.run()


try:
    _run()
finally:
    web_session.end_run()
