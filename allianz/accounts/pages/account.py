"""The signed-in user's own account: role, municipality, open sessions, sign out."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from allianz import web_session
from allianz.accounts import html_forms, routes, sessions
from allianz.accounts import service as accounts
from allianz.auth import ROLE_LABELS
from allianz.errors import DomainError

user, alliance, db = web_session.open_page("page.account")
BERLIN = ZoneInfo("Europe/Berlin")

st.title("Mein Konto")
st.write(f"**Name:** {user.display_name}")
st.write(f"**Rolle:** {ROLE_LABELS[user.role]}")
if user.municipality_ags:
    st.write(f"**Gemeinde:** {alliance.municipality(user.municipality_ags).name}")
if st.query_params.get("abmeldung") == "formular":
    st.error("Das Formular war abgelaufen. Bitte noch einmal auf „Abmelden“ klicken.")
if user.via_oidc:
    st.write("**Anmeldung:** Single Sign-on (OIDC)")
    if not user.id:
        st.info(
            "Ihr Konto ist noch keiner Rolle zugeordnet. Das Allianzmanagement kann es mit "
            "`allianz users add NAME --role ROLLE --email IHRE-ADRESSE --oidc-only` freischalten."
        )
    if st.button("Abmelden", icon=":material/logout:"):
        web_session.sign_out_oidc()
else:
    token = web_session.html_form_token("signout")
    st.html(html_forms.form(routes.SIGN_OUT, token, "Abmelden"))
    st.subheader("Passwort ändern")
    form = web_session.form_key("own-password")
    with st.form(form):
        current = st.text_input(
            "Bisheriges Passwort", type="password", autocomplete="current-password"
        )
        new = st.text_input("Neues Passwort", type="password", autocomplete="new-password")
        again = st.text_input(
            "Neues Passwort wiederholen", type="password", autocomplete="new-password"
        )
        change = st.form_submit_button("Passwort ändern")
    if change:
        try:
            accounts.change_own_password(
                db, user, current, new, again, keep_session=web_session.session_cookie()
            )
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            web_session.clear_form("own-password")
            web_session.saved("Passwort geändert. Auf anderen Geräten sind Sie jetzt abgemeldet.")
    st.subheader("Angemeldete Geräte")
    here = sessions.current_key(web_session.session_cookie())
    open_sessions = sessions.open_sessions(db, user.id)

    def _when(epoch: float) -> str:
        return datetime.fromtimestamp(epoch, BERLIN).strftime("%d.%m.%Y %H:%M")

    st.table(
        [
            {
                "Gerät": s.user_agent + (" (dieses Gerät)" if s.key == here else ""),
                "Angemeldet seit": _when(s.created_at),
                "Zuletzt aktiv": _when(s.last_seen),
            }
            for s in open_sessions
        ],
        hide_index=True,
    )
    if st.button("Auf allen Geräten abmelden", icon=":material/devices:"):
        web_session.sign_out_everywhere(user)
        st.switch_page("allianz/portal/pages/home.py")
