"""Abgeltung Geräte-Pool: the quarter's statement between members, netted, as PDF and CSV."""

from datetime import date

import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import de_date
from allianz.sharing import service, statement
from allianz.ui import german_table

user, alliance, db = web_session.open_page("page.pool_settlement")
names = {m.ags: m.name for m in alliance.municipalities}
today = date.today()

st.title("Abgeltung Geräte-Pool")
st.write(
    "Abrechnung der Bauhof-Leistungen zwischen den Mitgliedsgemeinden: zurückgegebene "
    "Buchungen, deren Nutzung im Quartal endete; Maschinenstunden, Tage, Bedienpersonal und "
    "Kilometer zu den Sätzen der Buchung. Gegenseitige Ansprüche werden verrechnet."
)
c1, c2 = st.columns(2)
year = c1.number_input("Jahr", min_value=2020, max_value=2100, value=today.year, step=1)
quarter = c2.selectbox(
    "Quartal",
    [1, 2, 3, 4],
    index=(today.month - 1) // 3,
    format_func=lambda q: f"{q}. Quartal",
    placeholder="Quartal wählen",
)
try:
    pairs = service.settlement(db, user, int(year), int(quarter))
except DomainError as exc:
    st.error(" ".join(exc.errors))
    st.stop()
if not pairs:
    st.info("In diesem Quartal gibt es keine abzurechnenden Buchungen zwischen Mitgliedern.")


def pair_name(pair) -> str:
    return f"{names.get(pair.first_ags)} und {names.get(pair.second_ags)}"


def show_pair(pair) -> None:
    st.subheader(pair_name(pair))
    st.markdown(f"**Ausgleich:** {statement.net_text(pair, names)}")
    st.caption(
        f"Anspruch {names.get(pair.first_ags)}: {service.euro(pair.first_claims_cents)} · "
        f"Anspruch {names.get(pair.second_ags)}: {service.euro(pair.second_claims_cents)}"
    )
    st.dataframe(
        german_table(
            [
                {
                    "Buchung": x.booking.ref,
                    "Gerät": x.item.title,
                    "Verleiht": names.get(x.creditor_ags),
                    "Entleiht": names.get(x.debtor_ags),
                    "Ende": de_date(x.booking.ends_at.isoformat()),
                    "Maschinenstunden": service.hours(x.booking.machine_minutes),
                    "Bedienstunden": service.hours(x.booking.operator_minutes),
                    "km": x.booking.km_used or 0,
                    "Summe": service.euro(x.total_cents),
                }
                for x in pair.lines
            ]
        ),
        hide_index=True,
    )


if pairs:  # one line per pair; the bookings of one pair at a time (a district has hundreds)
    overview = [
        {
            "Gemeinden": pair_name(p),
            "Buchungen": len(p.lines),
            "Ausgleich": statement.net_text(p, names),
        }
        for p in pairs
    ]
    st.table(german_table(overview).set_index("Gemeinden"))
    shown = st.selectbox(
        "Buchungen zeigen für",
        range(len(pairs)),
        format_func=lambda i: pair_name(pairs[i]),
        index=0 if len(pairs) == 1 else None,
        placeholder="Gemeinden wählen",
    )
    if shown is not None:
        show_pair(pairs[shown])
if pairs:
    c1, c2 = st.columns(2)
    c1.download_button(
        "Abrechnung als PDF",
        web_session.deferred(
            lambda conn: statement.pdf(
                service.settlement(conn, user, int(year), int(quarter)),
                alliance,
                int(year),
                int(quarter),
            )
        ),
        file_name=statement.file_name(int(year), int(quarter), "pdf"),
        mime=statement.FORMATS["pdf"],
        on_click="ignore",
    )
    c2.download_button(
        "Abrechnung als CSV",
        web_session.deferred(
            lambda conn: statement.csv(
                service.settlement(conn, user, int(year), int(quarter)), alliance
            )
        ),
        file_name=statement.file_name(int(year), int(quarter), "csv"),
        mime=statement.FORMATS["csv"],
        on_click="ignore",
    )
