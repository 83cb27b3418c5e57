"""Sharing across the alliance: the members' Bauhof equipment pool (items with lending rules,
bookings without double booking, availability and calendar feeds, the quarterly settlement
between members) and the citizens' Teilkultur (offers and wishes, moderated, contact without
disclosing e-mail addresses until both agree)."""

from allianz.auth import EVERYONE, MANAGER_ONLY, MUNICIPAL_DESK, STAFF_AND_MANAGER
from allianz.features import Feature, Page
from allianz.sharing import cli, demo, feeds, figures, personal_data


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


PAGES_POOL = "allianz/sharing/pages/pool.py"

FEATURE = Feature(
    name="sharing",
    label="Teilen",
    pages=(
        Page(
            PAGES_POOL,
            "Geräte-Pool",
            ":material/agriculture:",
            "Verwaltung",
            "Maschinen, Fahrzeuge und Veranstaltungsausstattung der Bauhöfe: Regeln, Belegung, "
            "Buchung mit Bedienpersonal, Zusage und Rückgabe.",
            "page.pool",
        ),
        Page(
            "allianz/sharing/pages/pool_settlement.py",
            "Abgeltung Geräte-Pool",
            ":material/receipt_long:",
            "Verwaltung",
            "Quartalsabrechnung der Bauhof-Leistungen zwischen den Mitgliedsgemeinden als PDF "
            "und CSV, mit Verrechnung gegenseitiger Ansprüche.",
            "page.pool_settlement",
        ),
        Page(
            "allianz/sharing/pages/teilkultur.py",
            "Teilkultur",
            ":material/handshake:",
            "Mitmachen",
            "Dinge verleihen, verschenken oder suchen – Kontakt über die App, E-Mail-Adressen "
            "erst, wenn beide zustimmen.",
            "page.teilkultur",
        ),
    ),
    permissions={
        "page.pool": MUNICIPAL_DESK,
        "page.pool_settlement": MUNICIPAL_DESK,
        "page.teilkultur": EVERYONE,
        "sharing.book": MUNICIPAL_DESK,
        "sharing.inventory": STAFF_AND_MANAGER,
        "sharing.settlement": MUNICIPAL_DESK,
        "sharing.moderate": MANAGER_ONLY,
    },
    personal_data=(personal_data.LISTINGS, personal_data.REQUESTS),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=tuple(feeds.ROUTES),
    audit_actions={
        "pool.item.create": "Gerät in den Pool aufgenommen",
        "pool.item.update": "Gerät und Ausleihregeln geändert",
        "pool.item.retire": "Gerät außer Dienst gestellt",
        "pool.item.photo": "Foto des Geräts hochgeladen",
        "pool.crew": "Bauhof-Mannschaft angelegt",
        "pool.block": "Gerät gesperrt (Wartung/Personal)",
        "pool.booking.request": "Gerät angefragt",
        "pool.booking.approve": "Ausleihe zugesagt",
        "pool.booking.decline": "Ausleihe abgelehnt",
        "pool.booking.cancel": "Ausleihe storniert",
        "pool.booking.return": "Rückgabe eingetragen",
        "pool.booking.expired": "Reservierung abgelaufen",
        "pool.booking.extend": "Reservierung verlängert",
        "teil.offer": "Teilkultur: Eintrag eingereicht",
        "teil.approve": "Teilkultur: Eintrag freigegeben",
        "teil.reject": "Teilkultur: Eintrag nicht freigegeben",
        "teil.request": "Teilkultur: Anfrage gesendet",
        "teil.agree": "Teilkultur: Kontaktfreigabe",
        "teil.decline": "Teilkultur: Anfrage abgelehnt",
        "teil.close": "Teilkultur: Eintrag erledigt",
    },
)
