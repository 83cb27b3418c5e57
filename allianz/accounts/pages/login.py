"""Sign-in: OIDC (single sign-on) when configured, local accounts otherwise.

The local form is plain HTML posting to `accounts.routes` (only a route can set the HttpOnly
session cookie); it comes back here with `?anmeldung=<reason>` when the sign-in failed.
"""

import html

import streamlit as st

from allianz import web_session
from allianz.accounts import html_forms, routes

user, alliance, db = web_session.open_page("page.login")

st.title("Anmelden")
st.write(
    "Die Anmeldung ist für Verwaltung, Bürgermeisterinnen und Bürgermeister, den Arbeitskreis "
    "Radwege und das Allianzmanagement. Bürgerinnen und Bürger brauchen kein Konto."
)

REASONS = {
    "falsch": "Benutzername oder Passwort ist falsch.",
    "formular": "Das Anmeldeformular war abgelaufen. Bitte melden Sie sich noch einmal an.",
}
reason = st.query_params.get("anmeldung")
if reason == "gesperrt":
    until = st.query_params.get("bis", "")
    when = f" nach {html.escape(until)} Uhr" if len(until) == 5 and until[2] == ":" else " später"
    st.error(
        f"Zu viele Fehlversuche. Die Anmeldung ist vorübergehend gesperrt; bitte versuchen Sie "
        f"es{when} erneut."
    )
elif reason in REASONS:
    st.error(REASONS[reason])

if web_session.oidc_enabled():
    if st.button("Mit Single Sign-on anmelden", type="primary", icon=":material/key:"):
        st.login()
else:
    fields = """
  <label for="benutzername">Benutzername</label>
  <input id="benutzername" name="benutzername" autocomplete="username" required
         maxlength="80" autocapitalize="none" spellcheck="false">
  <label for="passwort">Passwort</label>
  <input id="passwort" name="passwort" type="password" autocomplete="current-password"
         required maxlength="200">"""
    token = web_session.html_form_token("signin")
    st.html(html_forms.form(routes.SIGN_IN, token, "Anmelden", fields))
    st.caption(
        "Nach der Anmeldung bleiben Sie in diesem Browser angemeldet – auch nach dem Neuladen "
        "und in weiteren Tabs –, bis Sie sich abmelden, 8 Stunden nichts tun oder 7 Tage "
        "vergangen sind. Dafür setzen wir ein technisch notwendiges Cookie."
    )
