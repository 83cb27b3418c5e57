"""Erklärung zur Barrierefreiheit (BITV 2.0): status, known barriers, feedback."""

import streamlit as st

from allianz import web_session
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.accessibility")
contact = alliance.contact or (
    "noch nicht eingetragen – bitte wenden Sie sich an die Verwaltung Ihrer Gemeinde"
)

st.title("Erklärung zur Barrierefreiheit")
st.markdown(f"""
{plain(alliance.name)} möchte diese Anwendung barrierefrei zugänglich machen (BITV 2.0,
WCAG 2.1 Stufe AA).

### Stand der Vereinbarkeit
Die Anwendung ist **teilweise** mit den Anforderungen vereinbar (Selbstbewertung).

### Was wir für den Zugang tun
- Jede Karte hat eine Alternative ohne Maus: Listen und Tabellen mit denselben Einträgen und
  Filtern, Auswahllisten und die Eingabe von Koordinaten oder Gemeinde und Straße.
- Alle Eingabefelder haben sichtbare Beschriftungen; Fehler werden im Klartext genannt.
- Die Seite ist als deutschsprachig ausgezeichnet.
- Farben auf Karten werden immer auch in Text erklärt (Legende, Tabellen).

### Bekannte Barrieren
- Die Karten selbst sind mit Tastatur nur eingeschränkt bedienbar; bitte nutzen Sie die
  Listen, Tabellen und Eingabefelder darunter.
- Einige Bedienelemente des zugrunde liegenden Programms (z. B. Datei-Upload, Fehlerkästen)
  sind englisch beschriftet.
- Große Tabellen werden als Raster gezeichnet und sind mit Bildschirmlesern schwer zu lesen;
  die Hinweise gibt es zusätzlich als Liste.

### Barriere melden
Kontakt: {plain(contact)}. Wir antworten in der Regel innerhalb von zwei Wochen.

### Durchsetzungsverfahren
Wenn Sie keine zufriedenstellende Antwort erhalten, können Sie sich an die Schlichtungsstelle
für Barrierefreiheit Ihres Landes ({plain(alliance.state)}) wenden.
""")
