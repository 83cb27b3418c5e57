"""Veranstaltung melden: a club submits its event without an account. The municipality where
it takes place checks it before it is public; the club hears by e-mail. Spam protection as
for the suggestions: a hidden field, a minimum time to fill in, a limit per visitor."""

from datetime import datetime

import streamlit as st

from allianz import clock, web_session
from allianz.events import presentation, service
from allianz.municipalities import service as municipalities
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.event_submit")
names = {m.ags: m.name for m in alliance.municipalities}
FORM = "event-submit"
form = web_session.form_key(FORM)
started = st.session_state.setdefault("event-submit-started", clock.now().isoformat())

st.title("Veranstaltung melden")
st.write(
    "Ihr Verein lädt ein? Melden Sie die Veranstaltung hier – ohne Anmeldung. Die Verwaltung "
    "der Gemeinde, in der sie stattfindet, prüft die Meldung und gibt sie frei; Sie erhalten "
    "eine E-Mail, sobald sie veröffentlicht ist (oder warum nicht)."
)
presentation.point_picker(alliance, f"{form}-point")
st.html("<style>.st-key-event_hp {position:absolute; left:-9999px;}</style>")
with st.form(form):
    make_draft = presentation.event_fields(alliance, form, names)
    st.markdown("**Ihre Kontaktadresse**")
    email = st.text_input("E-Mail für die Nachricht über die Freigabe", key=f"{form}-email")
    consent = st.checkbox(
        "Ich willige ein, dass meine E-Mail-Adresse für die Nachricht über die Freigabe "
        "gespeichert wird. Sie wird nicht veröffentlicht und nach der Veranstaltung gelöscht.",
        key=f"{form}-consent",
    )
    honeypot = st.text_input("Bitte leer lassen", key="event_hp", label_visibility="collapsed")
    sent = st.form_submit_button("Veranstaltung melden", type="primary")
st.caption(
    "Datenschutz: Die Veranstaltung (ohne Ihre E-Mail-Adresse) ist nach der Freigabe "
    "öffentlich, auch im Kalender-Abo. Die E-Mail-Adresse sieht nur die Verwaltung; sie wird "
    "nur für die Nachricht zu dieser Meldung genutzt und nach Ablauf der Aufbewahrungsfrist "
    "nach der Veranstaltung gelöscht."
)
if sent:
    draft = make_draft()
    token = web_session.form_token(FORM, draft, email)
    submission = service.ClubSubmission(
        draft,
        email,
        consent,
        honeypot=honeypot,
        started_at=datetime.fromisoformat(started),
        visitor=web_session.visitor(),
        token=token,
    )

    def done(event) -> str:
        st.session_state.pop(f"{form}-point", None)
        st.session_state.pop("event-submit-started", None)  # the next form starts its clock
        return (
            f"Danke! Ihre Veranstaltung „{plain(event.title)}“ (Nr. {event.id}) ist "
            "eingegangen. Die Gemeinde prüft sie; Sie erhalten eine E-Mail, sobald sie "
            "veröffentlicht ist."
        )

    web_session.act(
        lambda: service.submit(db, alliance, municipalities.areas(db), submission), done,
        form=FORM,
    )  # fmt: skip
