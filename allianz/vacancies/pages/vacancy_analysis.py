"""Leerstand auswerten: figures per municipality and for the alliance, change since a date,
density and Baulücken potential; every chart has its numbers in a table beside it."""

from datetime import date, timedelta

import streamlit as st

from allianz import maps, web_session
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.vacancies import analysis, service

user, alliance, db = web_session.open_page("page.vacancy_analysis")
today = date.today()
DENSITY_COLORS = ("#fde0c5", "#facba6", "#f59e72", "#e4694c", "#b83a3a")

st.title("Leerstand auswerten")
c1, c2, c3 = st.columns(3)
since = c1.date_input(
    "Veränderung seit", value=today - timedelta(days=91), max_value=today, format="DD.MM.YYYY"
)
per_ha = c2.number_input(
    "Wohnungen je Hektar Baulücke",
    min_value=1.0,
    max_value=100.0,
    value=float(alliance.dwellings_per_ha),
    step=1.0,
    help="Für die Schätzung des Innenentwicklungs-Potenzials.",
)
hex_km = c3.select_slider("Wabengröße der Dichtekarte (km)", [0.5, 1.0, 2.0], value=1.0)

summary = service.summary(db, alliance, today, per_ha)
total = summary.iloc[-1]
m1, m2, m3, m4 = st.columns(4)
m1.metric("Flächen (leer / in Vermittlung)", int(total["Flächen"]))
m2.metric("je 1.000 Einwohner", f"{total['je 1.000 Einw.']:.2f}".replace(".", ","))
median = total["Median Jahre leer"]
m3.metric(
    "Median Jahre leer",
    "–" if median != median or median is None else f"{median:.1f}".replace(".", ","),
)
m4.metric(
    "Baulücken-Potenzial",
    f"{int(total['Wohnungen (Schätzung)'])} Wohnungen",
    help=f"{total['Baulücken ha']:.2f} ha Baulücken × {per_ha:g} Wohnungen je ha",
)
if user.municipality_ags:
    mine = alliance.municipality(user.municipality_ags).name
    st.info(f"Ihre Gemeinde {mine} ist in den Tabellen hervorgehoben (Zeile „{mine}“).")

# Only the open tab is computed and sent (a rerun on switching).
overview, kinds, change, density = st.tabs(
    ["Je Gemeinde", "Nach Art", "Veränderung", "Dichtekarte"], key="vacancy-tab", on_change="rerun"
)
if overview.open:
    with overview:
        chart, table = st.columns([2, 3])
        chart.bar_chart(
            summary.iloc[:-1], x="Gemeinde", y="je 1.000 Einw.", horizontal=True, height=320
        )
        table.dataframe(summary, hide_index=True, width="stretch")
if kinds.open:
    with kinds:
        frame = service.by_type(db, alliance)
        per_municipality = frame[frame["Gemeinde"] != analysis.ALLIANCE]
        st.bar_chart(per_municipality, x="Gemeinde", y="Anzahl", color="Art", horizontal=True)
        pivot = frame.pivot_table(
            index="Gemeinde", columns="Art", values="Anzahl", aggfunc="sum", sort=False
        )
        st.dataframe(pivot, width="stretch")
        area = frame.pivot_table(
            index="Gemeinde", columns="Art", values="Fläche m²", aggfunc="sum", sort=False
        )
        st.markdown("**Fläche in m² nach Art**")
        st.dataframe(area, width="stretch")
if change.open:
    with change:
        delta = service.change(db, alliance, since)
        st.caption(f"Leere Flächen am {since:%d.%m.%Y} und heute, aus dem Verlauf des Katasters.")
        chart, table = st.columns([2, 3])
        chart.bar_chart(delta.iloc[:-1], x="Gemeinde", y=["neu", "entfallen"], horizontal=True)
        table.dataframe(delta, hide_index=True, width="stretch")
if density.open:
    with density:
        cells = service.hexbins(db, hex_km * 1000)
        fmap = maps.areas_map(alliance, municipalities.areas_frame(db))
        if len(cells):
            top = max(cells["count"])
            shaded = cells.assign(
                fill=[
                    DENSITY_COLORS[min(4, int((n - 1) / max(1, top) * 5))] for n in cells["count"]
                ]
            )
            maps.add_areas(
                fmap,
                shaded,
                layer_name="Dichte",
                tooltip=[Field("label", "Waben")],
                fill_column="fill",
            )
        maps.show(fmap, key="vacancy-density", height=420, returned_objects=())
        st.caption(
            f"{len(cells)} Waben mit Flächen; die Tabelle „Je Gemeinde“ nennt dieselben Zahlen "
            "ohne Karte."
        )
