"""Abonnieren: how to take the alliance's news, events and job postings into a feed reader, a
calendar or a municipal website, with the three feed addresses and their filters."""

import streamlit as st

from allianz import web_session
from allianz.news import feeds
from allianz.news.model import WHOLE_ALLIANCE
from allianz.ui import german_table, plain

EVENTS_FEED = "/feeds/veranstaltungen.ics"
JOBS_FEED = "/feeds/stellen.xml"

user, alliance, db = web_session.open_page("page.subscribe")
base = web_session.base_url()
topics = [f"{h.number} = {h.title}" for h in alliance.handlungsfelder]

st.title("Abonnieren")
st.write(
    "Neuigkeiten, Veranstaltungen und Stellenangebote der Allianz gibt es auch als **Feed**: "
    "eine Internetadresse, die Ihr Programm regelmäßig abfragt. Sie müssen nichts installieren "
    "und sich nirgends anmelden – neue Einträge erscheinen von selbst, und Sie können das "
    "Abonnement jederzeit im Programm wieder löschen. Wir erfahren dabei nichts über Sie."
)

st.header("Die drei Feeds")
st.subheader("Neuigkeiten (RSS und Atom)")
st.write(
    "Meldungen der Geschäftsstelle und der Gemeinden. RSS und Atom sind zwei Formate für "
    "dasselbe; nehmen Sie das, was Ihr Programm anbietet (fast alle können beides)."
)
st.code(f"{base}{feeds.RSS_PATH}", language=None)
st.code(f"{base}{feeds.ATOM_PATH}", language=None)
st.subheader("Veranstaltungen (Kalender, iCal)")
st.write(
    "Termine der Gemeinden, Vereine und der Allianz für Ihren Kalender. Ein Kalender-Abo "
    "aktualisiert sich selbst: geänderte oder abgesagte Termine ändern sich auch bei Ihnen."
)
st.code(f"{base}{EVENTS_FEED}", language=None)
st.subheader("Stellenangebote (RSS)")
st.write(
    "Die Stellenanzeigen, Ausbildungsplätze und Praktika der Mitgliedsgemeinden; abgelaufene "
    "Stellen verschwinden nach der Bewerbungsfrist aus dem Feed."
)
st.code(f"{base}{JOBS_FEED}", language=None)

st.header("Nur das, was Sie interessiert: Filter")
st.write(
    "Hängen Sie an die Adresse ein Fragezeichen und einen oder mehrere Filter an, verbunden mit "
    "„&“. Beispiel: nur Neuigkeiten aus einer Gemeinde zu einem Thema:"
)
first = alliance.municipalities[0]
example_topic = alliance.handlungsfelder[0].number if alliance.handlungsfelder else 1
st.code(f"{base}{feeds.RSS_PATH}?gemeinde={first.ags}&thema={example_topic}", language=None)
st.table(
    german_table(
        [
            {
                "Filter": "gemeinde",
                "gilt für": "alle drei Feeds",
                "Wert": "Gemeindeschlüssel (siehe unten); bei Neuigkeiten auch "
                f"„{WHOLE_ALLIANCE}“ für Meldungen der ganzen Allianz",
            },
            {
                "Filter": "thema",
                "gilt für": "Neuigkeiten",
                "Wert": "Nummer des Handlungsfelds (siehe unten)",
            },
            {
                "Filter": "kategorie",
                "gilt für": "Veranstaltungen",
                "Wert": "Kategorie der Veranstaltung, z. B. kultur, sport, feste, vereine, "
                "familie (die Liste steht auf der Seite der Veranstaltungen)",
            },
            {
                "Filter": "art",
                "gilt für": "Stellenangebote",
                "Wert": "stelle, ausbildung, praktikum oder freiwilligendienst",
            },
            {
                "Filter": "umfang",
                "gilt für": "Stellenangebote",
                "Wert": "vollzeit oder teilzeit",
            },
        ]
    )
)
st.write(
    "Ein Filter, den es nicht gibt (etwa ein vertippter Gemeindeschlüssel), wird nicht still "
    "übergangen: die Adresse antwortet dann mit einem Hinweis, was erlaubt ist."
)
st.markdown("**Gemeindeschlüssel**")
st.table(german_table([{"Gemeinde": m.name, "AGS": m.ags} for m in alliance.municipalities]))
if topics:
    st.markdown("**Themen (Handlungsfelder)**")
    for line in topics:
        st.markdown(f"- {plain(line)}")

st.header("So geht es in Ihrem Programm")
st.subheader("Feed-Reader (Neuigkeiten, Stellen)")
st.markdown(
    "- **Thunderbird:** Konten → „Neues Konto“ → „Feeds“, dann „Abonnements verwalten“ und die "
    "Adresse einfügen.\n"
    "- **Feedly, Inoreader, NetNewsWire, Feeder (Android):** „Hinzufügen“ bzw. „+“ wählen und "
    "die Adresse einfügen.\n"
    "- **Outlook:** Rechtsklick auf „RSS-Feeds“ → „Neuen RSS-Feed hinzufügen“.\n"
    "- **Website einer Gemeinde:** Die meisten Redaktionssysteme (z. B. WordPress, TYPO3) haben "
    "einen Baustein „RSS-Feed anzeigen“; dort die Adresse eintragen."
)
st.subheader("Kalender (Veranstaltungen)")
st.markdown(
    "Wichtig: die Adresse **abonnieren**, nicht die Datei herunterladen und importieren – nur "
    "ein Abonnement bleibt aktuell.\n\n"
    "- **Google Kalender:** links „Weitere Kalender“ → „+“ → „Per URL“, Adresse einfügen.\n"
    "- **Outlook:** „Kalender hinzufügen“ → „Aus dem Internet abonnieren“.\n"
    "- **Apple Kalender (iPhone):** Einstellungen → Kalender → Accounts → „Account hinzufügen“ → "
    "„Andere“ → „Kalenderabo hinzufügen“.\n"
    "- **Thunderbird:** Kalender → „Neuer Kalender“ → „Im Netzwerk“, Adresse einfügen.\n\n"
    "Kalenderprogramme fragen ein Abo meist alle paar Stunden ab; ein neuer Termin erscheint "
    "also nicht sofort."
)
st.caption(
    "Wenn Sie eine Feed-Adresse im Browser öffnen, sehen Sie nur Text oder der Browser lädt "
    "eine Datei herunter – das ist richtig so: die Adresse ist für Programme gedacht."
)

st.subheader("Lieber per E-Mail?")
st.write(
    "Der Newsletter bringt einmal in der Woche die neuen Meldungen, die nächsten "
    "Veranstaltungen und neue Stellen der gewählten Gemeinden in Ihr Postfach."
)
st.page_link(
    "allianz/digest/pages/newsletter.py", label="Newsletter bestellen", icon=":material/mail:"
)
