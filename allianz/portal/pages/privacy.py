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
  der zuständigen Gemeinde und das Allianzmanagement sichtbar.
- **Meldungen aus Hinweis-Apps** (Open311-Schnittstelle): Solche Apps können außer der
  E-Mail-Adresse auch Vorname, Nachname, Telefonnummer und einen Link auf ihr eigenes Foto
  mitsenden, für Rückfragen der Gemeinde. Diese Angaben sind wie die E-Mail-Adresse nie
  öffentlich und nur für die zuständige Verwaltung und das Allianzmanagement sichtbar. Schickt
  eine App Ihre E-Mail-Adresse mit, haben Sie dort eingewilligt, Nachrichten zum Stand Ihres
  Hinweises zu erhalten. Gelöscht wird alles mit Ablauf der Aufbewahrungsfrist.
- **Konten** von Verwaltung, Bürgermeisterinnen und Bürgermeistern, Arbeitskreis und
  Allianzmanagement: Benutzername, Anzeigename, Rolle, Gemeinde, bei Anmeldung über Single
  Sign-on die E-Mail-Adresse; Passwörter nur als gesalzener Hash.
- **Bewertungen** von Radwegen und Kernwegen mit dem Benutzernamen der bewertenden Person.
- **Protokoll**: wer wann was geändert hat, damit Entscheidungen nachvollziehbar sind.

### Schutz vor massenhaftem Absenden
- Hinweise, Unterstützungen, Ideen und Stimmen der Online-Phase und Anfragen zu Leerständen
  zählen wir je Konto, ohne Anmeldung je Internetanschluss (IP-Adresse) und je Browser.
  Dafür setzt die Anwendung das Cookie **allianz_besucher**: eine Zufallszahl ohne Bezug zu
  Ihrer Person, nur für diese Anwendung, ein Jahr gültig, für Skripte nicht lesbar.
- Gespeichert wird dazu nur ein gesalzener Hash (Prüfwert) von IP-Adresse und Cookie, nie die
  Adresse selbst. Das Salz wechselt täglich; die Einträge werden nach spätestens 2 Tagen
  gelöscht. Die Schnittstelle für Hinweis-Apps (Open311) zählt ebenso je IP-Adresse.
- Damit jede Person in einer Bürgerwerkstatt nur einmal online abstimmt, bleibt zur Stimme ein
  gesalzener Hash von Konto bzw. IP-Adresse und Cookie bis zum Ende der Online-Phase
  gespeichert und wird dann gelöscht. Von einem Internetanschluss aus ist deshalb je
  Werkstatt eine Online-Stimme ohne Anmeldung möglich.

### Was wir nicht speichern
- Keine IP-Adressen zu Beiträgen: Hinweise, Ideen, Stimmen und Anfragen werden ohne
  IP-Adresse gespeichert.
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
