"""The Streamlit script run on every interaction: builds the navigation for the user's role."""

from pathlib import Path

import streamlit as st

from allianz import auth, database, navigation, web_session

st.set_page_config(
    page_title="Allianz-Werkstatt",
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
)


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
    sections: dict[str, list] = {}
    for spec in navigation.pages_for(user.role):
        sections.setdefault(spec.section, []).append(
            st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.default)
        )
    with st.sidebar:
        st.caption(web_session.alliance().name)
        st.caption(f"Angemeldet: {user.display_name}" if user.signed_in else "Nicht angemeldet")
    st.navigation(sections, expanded=True).run()


try:
    _run()
finally:
    web_session.end_run()
