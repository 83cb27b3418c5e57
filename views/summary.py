"""Lenkungsgruppe: the alliance and each municipality side by side for a period, with charts,
their numbers, a map overview, links to the source pages and the council report as PDF."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from allianz import auth, maps, web_session
from allianz.formatting import de_value
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.summary import figures, report
from allianz.ui import plain

user = web_session.current_user()
web_session.require(user, "page.summary")
alliance = web_session.alliance()
db = web_session.db()
areas = municipalities.areas(db)
today = date.today()
names = {m.ags: m.name for m in alliance.municipalities}

st.title("Lenkungsgruppe")
period_input = st.date_input(
    "Zeitraum",
    value=(today - timedelta(days=365), today),
    max_value=today,
    format="DD.MM.YYYY",
    key="summary-period",
)
if len(period_input) != 2:
    st.info("Bitte Anfang und Ende des Zeitraums wählen.")
    st.stop()
period = figures.Period(*period_input)
own = names.get(user.municipality_ags) if user.municipality_ags else None
if own:
    focus = own
    st.caption(f"Zahlen der Allianz und aller Gemeinden; Einzelheiten für {own}.")
else:
    focus = st.selectbox(
        "Einzelheiten für", [None, *names.values()], format_func=lambda n: n or "die ganze Allianz"
    )
summary = figures.build(db, alliance, areas, period, today)


def _compare(frame: pd.DataFrame, row: str, label: str) -> None:
    """A chart comparing the municipalities on one figure, the full table beside it."""
    chart, table = st.columns([2, 3])
    data = pd.DataFrame({"Gemeinde": [c for c in frame.columns if c != figures.ALLIANCE]}).assign(
        **{label: [frame.loc[row, c] for c in frame.columns if c != figures.ALLIANCE]}
    )
    chart.bar_chart(data, x="Gemeinde", y=label, horizontal=True, height=300)
    table.dataframe(frame.map(de_value), width="stretch")


def _source(page: str, label: str) -> None:
    st.page_link(page, label=label, icon=":material/arrow_forward:")


metrics = st.columns(5)
metrics[0].metric(
    "Hinweise im Zeitraum", summary.suggestions.loc["neu im Zeitraum", figures.ALLIANCE]
)
metrics[1].metric("davon offen", de_value(summary.suggestions.loc["offen", figures.ALLIANCE]))
metrics[2].metric("Werkstätten", de_value(summary.workshops.loc["Werkstätten", figures.ALLIANCE]))
metrics[3].metric("Leerstände", de_value(summary.vacancy.loc["Flächen", figures.ALLIANCE]))
metrics[4].metric(
    "überfällige Schritte", de_value(summary.measures.loc["überfällige Schritte", figures.ALLIANCE])
)

# Only the open tab is built and sent (a rerun on switching).
tabs = st.tabs(
    ["Hinweise", "Werkstätten", "Netze", "Leerstand", "Maßnahmen", "Karte"],
    key="summary-tab",
    on_change="rerun",
)
if tabs[0].open:
    with tabs[0]:
        _compare(summary.suggestions, "neu im Zeitraum", "Hinweise")
        st.markdown("**Nach Kategorie**")
        st.dataframe(summary.categories.map(de_value), width="stretch")
        st.caption(
            "Gezählt: im Zeitraum gemeldete Hinweise ohne ausgeblendete und zusammengeführte; "
            "Status von heute."
        )
        _source("views/suggestions.py", "Zu den Hinweisen")
if tabs[1].open:
    with tabs[1]:
        _compare(summary.workshops, "Karten", "Karten")
        ideas = [
            i for i in summary.top_ideas if focus is None or i.scope in (focus, figures.ALLIANCE)
        ]
        if ideas:
            st.markdown("**Die wichtigsten Ideen je Thementisch**")
            st.dataframe(
                [{"Werkstatt": i.workshop, "Thementisch": i.topic, "Idee": i.text, "Punkte": i.dots}
                 for i in ideas],
                hide_index=True,
                width="stretch",
            )  # fmt: skip
        _source("views/workshops.py", "Zur Bürgerwerkstatt")
if tabs[2].open:
    with tabs[2]:
        _compare(summary.networks, "Zustand 4–5 km", "Zustand 4–5 km")
        st.caption("Stand heute; Längen an den Gemeindegrenzen geteilt.")
        _source("views/networks.py", "Zu Radwegen & Kernwegen")
if tabs[3].open:
    with tabs[3]:
        _compare(summary.vacancy, "je 1.000 Einw.", "je 1.000 Einwohner")
        st.caption("Stand heute; Veränderung gegenüber dem Stand vor 91 Tagen.")
        if auth.can(user.role, "page.vacancy_analysis"):
            _source("views/vacancy_analysis.py", "Zur Leerstandsauswertung")
if tabs[4].open:
    with tabs[4]:
        _compare(summary.measures, "überfällige Schritte", "überfällige Schritte")
        overdue = [
            o
            for o in summary.overdue
            if focus is None
            or not o.municipalities
            or focus in {names[a] for a in o.municipalities}
        ]
        st.markdown("**Überfällige nächste Schritte**" + (f" ({plain(focus)})" if focus else ""))
        st.dataframe(
            [{"Nr.": o.ref, "Maßnahme": o.measure, "Schritt": o.step, "fällig": o.due_on,
              "zuständig": o.responsible} for o in overdue],
            hide_index=True,
            width="stretch",
        )  # fmt: skip
        _source("views/measures.py", "Zu den Maßnahmen")
if tabs[5].open:
    with tabs[5]:
        frame = municipalities.frame_of(areas)
        open_now = summary.suggestions.loc["offen"]
        frame["offen"] = [str(open_now.get(a.name, 0)) for a in areas]
        frame["leer"] = [str(summary.vacancy.loc["Flächen"].get(a.name, 0)) for a in areas]
        fmap = maps.base_map(alliance, frame.total_bounds)
        maps.add_areas(
            fmap,
            frame,
            layer_name="Gemeinden",
            tooltip=[Field("name", "Gemeinde"), Field("offen", "offene Hinweise"),
                     Field("leer", "Leerstände")],
        )  # fmt: skip
        maps.show(fmap, key="summary-map", height=380, returned_objects=())
        st.caption("Dieselben Zahlen stehen in den Tabellen der anderen Reiter.")

st.subheader("Sitzungsvorlage (PDF)")
st.download_button(
    f"Bericht als PDF ({focus or alliance.name}, {period.label})",
    web_session.deferred(
        lambda conn: report.pdf(
            alliance, figures.build(conn, alliance, municipalities.areas(conn), period), focus
        )
    ),
    file_name=f"sitzungsvorlage-{period.since}-{period.until}.pdf",
    mime="application/pdf",
    key="summary-pdf",
)
