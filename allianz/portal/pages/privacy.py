"""Datenschutz: what is stored, who sees it, third parties, legal basis, rights."""

import streamlit as st

from allianz import web_session
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.privacy")
controller = f"{plain(alliance.name)} ({plain(alliance.legal_form)}), {plain(alliance.district)}"
authority = plain(alliance.privacy_authority or "Datenschutzaufsicht Ihres Landes")
contact = alliance.contact or (
    "noch nicht eingetragen – bitte wenden Sie sich an die Verwaltung Ihrer Gemeinde"
)

st.title("Datenschutz")
st.markdown(f"""
**Verantwortlich:** {controller}.
Kontakt: {plain(contact)}.

### Was wir speichern und wer es sieht
- **Hinweise** (Bürgermelder): Kategorie, Titel, Beschreibung, Ort und ein freiwilliges Foto.
  Sie sind öffentlich. Fotos werden neu gespeichert; dabei entfallen Kamera-, Zeit- und
  GPS-Angaben.
- **Ihre E-Mail-Adresse** (freiwillig): nur mit Ihrer Einwilligung, nur für Nachrichten zum
  Stand Ihres Hinweises. Sie ist nie öffentlich, nicht in Exporten und nur für die Verwaltung
  der zuständigen Gemeinde und das Allianzmanagement sichtbar. Vorname und Nachname, die
  Open311-Programme mitsenden, speichern wir nicht.
- **Konten** von Verwaltung, Bürgermeisterinnen und Bürgermeistern, Arbeitskreis und
  Allianzmanagement: Benutzername, Anzeigename, Rolle, Gemeinde, bei Anmeldung über Single
  Sign-on die E-Mail-Adresse; Passwörter nur als gesalzener Hash.
- **Bewertungen** von Radwegen und Kernwegen mit dem Benutzernamen der bewertenden Person.
- **Protokoll**: wer wann was geändert hat, damit Entscheidungen nachvollziehbar sind.

### Was wir nicht speichern
- Keine IP-Adressen zu Beiträgen. Gegen massenhaftes Absenden zählen wir Beiträge je
  Sitzung; die Schnittstelle nutzt dafür kurzlebige, gesalzene Kennungen nur im
  Arbeitsspeicher.
- Keine Nutzungsstatistik, keine Werbe- oder Analyse-Cookies.

### Dritte
Programme, Schriften und Kartenwerkzeuge kommen vom Server dieser Anwendung. Einzige
Ausnahme sind die Kartenkacheln von **{plain(alliance.tiles.host)}**
({plain(alliance.tiles.attribution)}): Beim Anzeigen einer Karte erhält dieser Dienst Ihre
IP-Adresse, wie bei jedem Abruf im Internet.

### Rechtsgrundlage
Beteiligung an der Planung der Allianz: Art. 6 Abs. 1 lit. e DSGVO (Aufgabe im öffentlichen
Interesse). E-Mail-Benachrichtigungen: Ihre Einwilligung, Art. 6 Abs. 1 lit. a DSGVO; Sie
können sie jederzeit widerrufen.

### Ihre Rechte
Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Widerspruch und Widerruf
einer Einwilligung – über den oben genannten Kontakt. Sie können sich außerdem bei der
Aufsichtsbehörde beschweren: {authority}.
""")
