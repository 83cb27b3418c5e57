"""Sign-in: OIDC (single sign-on) when configured, local accounts otherwise.

The local form is plain HTML posting to `accounts.routes` (only a route can set the HttpOnly
session cookie); it comes back here with `?anmeldung=<reason>` when the sign-in failed.
"""

import html

import streamlit as st

from allianz import web_session
from allianz.accounts import html_forms, routes
from allianz.accounts import service as accounts
from allianz.errors import DomainError

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

code = st.query_params.get("code")
if code:
    st.subheader("Passwort festlegen")
    st.write(
        "Mit dem Einmal-Link vom Allianzmanagement legen Sie Ihr Passwort selbst fest "
        f"(mindestens {accounts.MIN_PASSWORD} Zeichen). Danach melden Sie sich unten an."
    )
    with st.form("set-password"):
        new = st.text_input("Neues Passwort", type="password", autocomplete="new-password")
        again = st.text_input(
            "Neues Passwort wiederholen", type="password", autocomplete="new-password"
        )
        chosen = st.form_submit_button("Passwort speichern", type="primary")
    if chosen:
        try:
            owner = accounts.redeem_setup_code(db, code, new, again)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            st.query_params.clear()  # the code is used up; the address bar forgets it
            web_session.saved(
                f"Passwort gespeichert. Bitte melden Sie sich jetzt als „{owner.username}“ an."
            )
    st.subheader("Anmelden")

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
