"""Newsletter: residents subscribe to a weekly German e-mail of news, events and job postings,
for the municipalities and topics they choose (double opt-in). The links in the mails land
here: `?bestaetigen=…` confirms, `?abmelden=…` unsubscribes with one click, no sign-in. Spam
protection as for the suggestions: a hidden field, a minimum time to fill in, a limit per
visitor."""

from datetime import datetime

import streamlit as st

from allianz import clock, web_session
from allianz.digest import service
from allianz.digest.model import CONFIRM_HOURS, CONFIRM_KEY, PART_LABELS, UNSUBSCRIBE_KEY, Choice
from allianz.errors import DomainError
from allianz.ui import german_table, plain

user, alliance, db = web_session.open_page("page.newsletter")
names = {m.ags: m.name for m in alliance.municipalities}
topics = {h.number: h.title for h in alliance.handlungsfelder}
FORM = "newsletter"
form = web_session.form_key(FORM)
started = st.session_state.setdefault("newsletter-started", clock.now().isoformat())

st.title("Newsletter")

# A link from a mail: act once, drop the token from the address, keep the answer to show.
for key, act in ((CONFIRM_KEY, "confirm"), (UNSUBSCRIBE_KEY, "unsubscribe")):
    token = st.query_params.get(key)
    if not token:
        continue
    del st.query_params[key]
    if act == "confirm":
        try:
            service.confirm(db, token)
            answer = ("success", "Vielen Dank! Ihre Anmeldung ist bestätigt: Sie erhalten den "
                      "Newsletter ab der nächsten Ausgabe einmal in der Woche.")  # fmt: skip
        except DomainError as exc:
            answer = ("error", " ".join(exc.errors))
    elif service.unsubscribe(db, token):
        answer = ("success", "Sie sind abgemeldet. Sie erhalten keinen Newsletter mehr; Ihre "
                  "E-Mail-Adresse ist gelöscht.")  # fmt: skip
    else:
        answer = ("info", "Diese Adresse ist nicht (mehr) für den Newsletter angemeldet – Sie "
                  "sind also abgemeldet.")  # fmt: skip
    st.session_state["newsletter-answer"] = answer
if answer := st.session_state.get("newsletter-answer"):
    getattr(st, answer[0])(answer[1])

st.write(
    f"Einmal in der Woche das Wichtigste aus der Allianz {plain(alliance.name)} per E-Mail: "
    "neue Meldungen, die Veranstaltungen der nächsten zwei Wochen und neue Stellenangebote – "
    "nur aus den Gemeinden und zu den Themen, die Sie wählen. Wochen ohne Neues bringen keine "
    "E-Mail."
)
st.html("<style>.st-key-newsletter_hp {position:absolute; left:-9999px;}</style>")
with st.form(form):
    email = st.text_input("Ihre E-Mail-Adresse", max_chars=200, key=f"{form}-email")
    places = st.multiselect(
        "Gemeinden (leer lassen: alle)",
        list(names),
        format_func=names.get,
        placeholder="alle Gemeinden",
        key=f"{form}-places",
    )
    themes = st.multiselect(
        "Themen der Neuigkeiten (leer lassen: alle)",
        list(topics),
        format_func=topics.get,
        placeholder="alle Themen",
        key=f"{form}-topics",
    )
    parts = st.multiselect(
        "Was soll der Newsletter enthalten?",
        list(PART_LABELS),
        default=list(PART_LABELS),
        format_func=PART_LABELS.get,
        placeholder="Teile wählen",
        key=f"{form}-parts",
    )
    consent = st.checkbox(
        "Ich willige ein, dass meine E-Mail-Adresse mit meiner Auswahl für den Newsletter "
        "gespeichert wird. Ich kann mich jederzeit mit einem Klick abmelden.",
        key=f"{form}-consent",
    )
    honeypot = st.text_input("Bitte leer lassen", key="newsletter_hp", label_visibility="collapsed")
    sent = st.form_submit_button("Newsletter bestellen", type="primary")
st.caption(
    "Datenschutz: Wir schicken Ihnen zuerst eine E-Mail mit einem Bestätigungslink "
    f"(„Double-Opt-in“); ohne Bestätigung innerhalb von {CONFIRM_HOURS} Stunden wird die "
    "Anfrage gelöscht. Die Adresse wird nur für den Newsletter genutzt und nicht "
    "weitergegeben. Jede Ausgabe enthält einen Link zum Abmelden; danach ist die Adresse "
    "gelöscht."
)
st.page_link(
    "allianz/news/pages/subscribe.py",
    label="Lieber ohne E-Mail? Neuigkeiten, Termine und Stellen als Feed abonnieren",
    icon=":material/rss_feed:",
)
if sent:
    choice = Choice(tuple(places), tuple(themes), tuple(parts))
    request = service.Request(
        email,
        choice,
        consent,
        honeypot=honeypot,
        started_at=datetime.fromisoformat(started),
        visitor=web_session.visitor(),
        token=web_session.form_token(FORM, email, choice),
    )

    def done(_) -> str:
        st.session_state.pop("newsletter-started", None)
        st.session_state.pop("newsletter-answer", None)
        return (
            "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte öffnen Sie den Link "
            f"darin innerhalb von {CONFIRM_HOURS} Stunden, um die Anmeldung zu bestätigen."
        )

    web_session.act(
        lambda: service.subscribe(db, alliance, request, web_session.base_url()), done,
        form=FORM,
    )  # fmt: skip

if service.may_see_overview(user):
    found = service.overview(db, alliance, user)
    with st.expander(f"Für die Geschäftsstelle: {found['confirmed']} bestätigte Abonnements"):
        st.caption(
            f"{found['pending']} Anmeldung(en) warten auf Bestätigung. Wer alle Gemeinden "
            "gewählt hat, zählt bei jeder Gemeinde."
        )
        st.table(
            german_table(
                [
                    {"Gemeinde": names.get(ags, ags), "Abonnements": n}
                    for ags, n in found["per_municipality"].items()
                ]  # fmt: skip
            )
        )
        if found["runs"]:
            st.table(
                german_table(
                    [
                        {"Woche": r["week"], "E-Mails": r["mails"], "ohne Neues": r["without_news"]}
                        for r in found["runs"]
                    ]  # fmt: skip
                )
            )
