"""Which pages exist, in which section, and which permission each one needs."""

from __future__ import annotations

from dataclasses import dataclass

from allianz.auth import Role, can


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    action: str
    section: str
    summary: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "views/home.py",
        "Start",
        ":material/home:",
        "page.home",
        "Allianz",
        "Die Mitgliedsgemeinden auf der Karte und in Zahlen.",
        default=True,
    ),
    PageSpec(
        "views/suggest.py",
        "Hinweis melden",
        ":material/add_location_alt:",
        "page.suggest",
        "Mitmachen",
        "Mängel und Ideen auf der Karte melden – ohne Anmeldung.",
    ),
    PageSpec(
        "views/suggestions.py",
        "Hinweise",
        ":material/map:",
        "page.suggestions",
        "Mitmachen",
        "Alle Hinweise auf Karte und Liste, mit Antworten der Gemeinden.",
    ),
    PageSpec(
        "views/review.py",
        "Hinweise bearbeiten",
        ":material/rule:",
        "page.review",
        "Verwaltung",
        "Eingang der Hinweise, Antworten, Weitergabe, Zusammenführen, Export.",
    ),
    PageSpec(
        "views/networks.py",
        "Radwege & Kernwege",
        ":material/route:",
        "page.networks",
        "Netze",
        "Radwegenetz und Kernwegenetz: Karte, Tabelle, Kennzahlen, Export.",
    ),
    PageSpec(
        "views/network_review.py",
        "Befahrung & Bewertung",
        ":material/rate_review:",
        "page.network_review",
        "Netze",
        "Abschnitte bewerten, Befahrung je Gemeinde, Bewertungen übernehmen.",
    ),
    PageSpec(
        "views/network_import.py",
        "Netz importieren",
        ":material/upload_file:",
        "page.network_import",
        "Netze",
        "GPX, GeoJSON, KML, GeoPackage oder Shapefile (ZIP) einlesen, mit Vorschau.",
    ),
    PageSpec(
        "views/workshops.py",
        "Bürgerwerkstatt",
        ":material/groups:",
        "page.workshops",
        "Mitmachen",
        "Ideen von den Thementischen, Punktabfrage, Online-Phase und Protokoll.",
    ),
    PageSpec(
        "views/workshop_host.py",
        "Tisch moderieren",
        ":material/edit_note:",
        "page.workshop_host",
        "Bürgerwerkstatt",
        "Karten am Thementisch erfassen, Punkte eintragen, Abstimmungsgerät, Fotos.",
    ),
    PageSpec(
        "views/workshop_admin.py",
        "Werkstätten planen",
        ":material/event:",
        "page.workshop_admin",
        "Bürgerwerkstatt",
        "Werkstätten anlegen, Tische und Phasen, Moderation, Handlungsfelder, Protokoll.",
    ),
    PageSpec(
        "views/vacancy_share.py",
        "Leerstand teilen",
        ":material/storefront:",
        "page.vacancy_share",
        "Mitmachen",
        "Freie Gebäude und Grundstücke, deren Eigentümer einer Veröffentlichung zugestimmt haben.",
    ),
    PageSpec(
        "views/vacancies.py",
        "Leerstand erfassen",
        ":material/home_work:",
        "page.vacancies",
        "Leerstand",
        "Leerstandskataster: erfassen, Arbeitsliste, Verlauf, Anfragen, Import und Export.",
    ),
    PageSpec(
        "views/vacancy_analysis.py",
        "Leerstand auswerten",
        ":material/analytics:",
        "page.vacancy_analysis",
        "Leerstand",
        "Zahlen je Gemeinde, Dauer, Veränderung, Dichte und Baulücken-Potenzial.",
    ),
    PageSpec(
        "views/summary.py",
        "Lenkungsgruppe",
        ":material/insights:",
        "page.summary",
        "Allianz",
        "Zahlen der Allianz und jeder Gemeinde für einen Zeitraum, Sitzungsvorlage als PDF.",
    ),
    PageSpec(
        "views/measures.py",
        "Maßnahmen",
        ":material/checklist:",
        "page.measures",
        "Allianz",
        "Maßnahmen je Handlungsfeld mit Priorität, Bewertung, nächsten Schritten und Stand.",
    ),
    PageSpec(
        "views/municipality_desk.py",
        "Meine Gemeinde",
        ":material/location_city:",
        "page.municipality_desk",
        "Verwaltung",
        "Kennzahlen, Gebiet und Protokoll der eigenen Gemeinde.",
    ),
    PageSpec(
        "views/admin.py",
        "Allianzverwaltung",
        ":material/admin_panel_settings:",
        "page.admin",
        "Verwaltung",
        "Konten, Gemeindegrenzen (VG250) und das Protokoll aller Änderungen.",
    ),
    PageSpec(
        "views/account.py",
        "Mein Konto",
        ":material/person:",
        "page.account",
        "Konto",
        "Rolle, Gemeinde und Abmelden.",
    ),
    PageSpec(
        "views/privacy.py",
        "Datenschutz",
        ":material/policy:",
        "page.privacy",
        "Rechtliches",
        "Welche Daten wir speichern, wer sie sieht und welche Rechte Sie haben.",
    ),
    PageSpec(
        "views/accessibility.py",
        "Barrierefreiheit",
        ":material/accessibility_new:",
        "page.accessibility",
        "Rechtliches",
        "Erklärung zur Barrierefreiheit und wie Sie Barrieren melden.",
    ),
    PageSpec(
        "views/login.py",
        "Anmelden",
        ":material/login:",
        "page.login",
        "Konto",
        "Anmeldung für Verwaltung, Bürgermeister, Arbeitskreis und Allianzmanagement.",
    ),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [page for page in PAGES if can(role, page.action)]


def by_section(pages: list[PageSpec]) -> list[tuple[str, list[PageSpec]]]:
    """Sections in the order of their first page, each with its pages in order."""
    sections: dict[str, list[PageSpec]] = {}
    for page in pages:
        sections.setdefault(page.section, []).append(page)
    return list(sections.items())
