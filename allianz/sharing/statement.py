"""The quarter's statement ("Abgeltung") for the treasuries: per pair of members every returned
booking with machine hours × rate, days × day rate, operator hours × rate and km × rate, each
side's claims and the net after setting them off against each other; as PDF and CSV."""

from __future__ import annotations

from allianz.config import Alliance
from allianz.formatting import de_csv, de_date
from allianz.pdf import Document
from allianz.sharing.service import PairBalance, StatementLine, days_of, euro, hours

FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
HEADINGS = [
    "Buchung",
    "Gerät",
    "Eigentümer-Bauhof",
    "Entleihende Gemeinde",
    "von",
    "bis",
    "Maschinenstunden",
    "Satz je Stunde (€)",
    "Betrag Maschine (€)",
    "Tage",
    "Betrag Tage (€)",
    "Stunden Bedienpersonal",
    "Satz Bedienpersonal (€)",
    "Betrag Bedienpersonal (€)",
    "Kilometer",
    "Betrag Kilometer (€)",
    "Summe (€)",
]
SOURCE = "Geräte-Pool: zurückgegebene Buchungen zwischen Mitgliedsgemeinden"


def file_name(year: int, quarter: int, fmt: str) -> str:
    return f"abgeltung-{year}-q{quarter}.{fmt}"


def _names(alliance: Alliance) -> dict[str, str]:
    return {m.ags: m.name for m in alliance.municipalities}


def net_text(pair: PairBalance, names: dict[str, str]) -> str:
    debtor, creditor, cents = pair.net
    if cents == 0:
        return "ausgeglichen"
    return f"{names.get(debtor, debtor)} zahlt {names.get(creditor, creditor)} {euro(cents)}"


def _euros(cents: int) -> str:
    """12345 -> "123,45": a decimal comma and no thousands separator, as spreadsheets read it."""
    return f"{cents // 100},{cents % 100:02d}"


def _row(line: StatementLine, names: dict[str, str]) -> list:
    b = line.booking
    return [
        b.ref,
        line.item.title,
        names.get(line.creditor_ags, line.creditor_ags),
        names.get(line.debtor_ags, line.debtor_ags),
        de_date(b.starts_at.isoformat()),
        de_date(b.ends_at.isoformat()),
        hours(b.machine_minutes),
        _euros(b.rate_hour_cents),
        _euros(line.machine_cents),
        days_of(b) if b.rate_day_cents else 0,
        _euros(line.day_cents),
        hours(b.operator_minutes),
        _euros(b.operator_rate_cents),
        _euros(line.operator_cents),
        b.km_used or 0,
        _euros(line.km_cents),
        _euros(line.total_cents),
    ]


def csv(pairs: list[PairBalance], alliance: Alliance) -> str:
    names = _names(alliance)
    rows = [_row(line, names) for pair in pairs for line in pair.lines]
    summary = [
        ["Saldo", names.get(p.first_ags), names.get(p.second_ags), net_text(p, names)]
        for p in pairs
    ]
    body = de_csv(HEADINGS, rows)
    if summary:
        body += "\n" + de_csv(["", "Gemeinde", "Gemeinde", "Ausgleich nach Verrechnung"], summary)
    return body


def pdf(pairs: list[PairBalance], alliance: Alliance, year: int, quarter: int) -> bytes:
    names = _names(alliance)
    doc = Document(f"Abgeltung Geräte-Pool {quarter}. Quartal {year} – {alliance.name}", SOURCE)
    doc.heading(f"Abgeltung der Bauhof-Leistungen, {quarter}. Quartal {year}")
    doc.paragraph(
        "Grundlage sind die zurückgegebenen Buchungen zwischen Mitgliedsgemeinden, deren "
        "Nutzung im Quartal endete: Maschinenstunden × Stundensatz, Tage × Tagessatz, Stunden "
        "des Bedienpersonals × dessen Satz und Kilometer × Kilometersatz (Sätze zum Zeitpunkt "
        "der Anfrage). Gegenseitige Ansprüche eines Paares werden verrechnet."
    )
    if not pairs:
        doc.paragraph("Im Quartal gab es keine abzurechnenden Buchungen zwischen Mitgliedern.")
    for pair in pairs:
        first, second = names.get(pair.first_ags), names.get(pair.second_ags)
        doc.heading(f"{first} und {second}", level=2)
        doc.table_of(
            ["Buchung", "Gerät", "Von → an", "Zeitraum", "Stunden", "Bedienung", "km", "Summe"],
            [
                [
                    x.booking.ref,
                    x.item.title,
                    f"{names.get(x.creditor_ags)} → {names.get(x.debtor_ags)}",
                    f"{de_date(x.booking.starts_at.isoformat())}–"
                    f"{de_date(x.booking.ends_at.isoformat())}",
                    hours(x.booking.machine_minutes),
                    euro(x.operator_cents),
                    str(x.booking.km_used or 0),
                    euro(x.total_cents),
                ]
                for x in pair.lines
            ],
            widths=(14, 30, 34, 30, 12, 18, 8, 18),
            size=8,
        )
        doc.facts(
            [
                (f"Anspruch {first}", euro(pair.first_claims_cents)),
                (f"Anspruch {second}", euro(pair.second_claims_cents)),
                ("Ausgleich", net_text(pair, names)),
            ]
        )
    return doc.to_bytes()
