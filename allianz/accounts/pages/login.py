"""Sign-in: OIDC (single sign-on) when configured, local accounts otherwise."""

import streamlit as st

from allianz import web_session

user, alliance, db = web_session.open_page("page.login")

st.title("Anmelden")
st.write(
    "Die Anmeldung ist für Verwaltung, Bürgermeisterinnen und Bürgermeister, den Arbeitskreis "
    "Radwege und das Allianzmanagement. Bürgerinnen und Bürger brauchen kein Konto."
)

if web_session.oidc_enabled():
    if st.button("Mit Single Sign-on anmelden", type="primary", icon=":material/key:"):
        st.login()
elif web_session.login_blocked():
    st.error("Zu viele Fehlversuche. Bitte laden Sie die Seite später neu.")
else:
    with st.form("login", clear_on_submit=False):
        username = st.text_input("Benutzername", autocomplete="username")
        password = st.text_input("Passwort", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Anmelden", type="primary")
    if submitted:
        if web_session.sign_in(username, password):
            st.switch_page("allianz/portal/pages/home.py")
        elif web_session.login_blocked():
            st.error("Zu viele Fehlversuche. Bitte laden Sie die Seite später neu.")
        else:
            st.error("Benutzername oder Passwort ist falsch.")
