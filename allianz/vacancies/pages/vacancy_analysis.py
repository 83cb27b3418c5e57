"""Leerstand auswerten: figures per municipality and for the alliance, change since a date,
density and Baulücken potential; every chart has its numbers in a table beside it."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from allianz import maps, web_session
from allianz.formatting import count_of, de_float, de_int, de_number
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import bar_chart, german_table
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
    format="%.0f",  # whole dwellings; Streamlit would write 15.00 (English decimals)
    help="Für die Schätzung des Innenentwicklungs-Potenzials.",
)
hex_km = c3.select_slider(
    "Wabengröße der Dichtekarte (km)", [0.5, 1.0, 2.0], value=1.0, format_func=de_number
)
# Decimals the tables show per column (the rest: whole numbers, or two decimals).
DIGITS = {"je 1.000 Einw.": 2, "Median Jahre leer": 1, "Baulücken ha": 2}

summary = service.summary(db, alliance, today, per_ha)
total = summary.iloc[-1]
m1, m2, m3, m4 = st.columns(4)
per_1000 = total["je 1.000 Einw."]
median = total["Median Jahre leer"]
m1.metric("Flächen (leer / in Vermittlung)", de_int(total["Flächen"]))
m2.metric("je 1.000 Einwohner", "–" if pd.isna(per_1000) else de_float(per_1000, 2))
m3.metric("Median Jahre leer", "–" if pd.isna(median) else de_float(median, 1))
m4.metric(
    "Baulücken-Potenzial",
    f"{de_int(total['Wohnungen (Schätzung)'])} Wohnungen",
    help=f"{de_float(total['Baulücken ha'], 2)} ha Baulücken × {de_number(per_ha)} Wohnungen je ha",
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
        bar_chart(summary.iloc[:-1], "Gemeinde", "je 1.000 Einw.", height=320, where=chart)
        table.dataframe(german_table(summary, digits=DIGITS), hide_index=True, width="stretch")
if kinds.open:
    with kinds:
        frame = service.by_type(db, alliance)
        per_municipality = frame[frame["Gemeinde"] != analysis.ALLIANCE]
        bar_chart(per_municipality, "Gemeinde", "Anzahl", series="Art")
        pivot = frame.pivot_table(
            index="Gemeinde", columns="Art", values="Anzahl", aggfunc="sum", sort=False
        )
        st.dataframe(german_table(pivot), width="stretch")
        area = frame.pivot_table(
            index="Gemeinde", columns="Art", values="Fläche m²", aggfunc="sum", sort=False
        )
        st.markdown("**Fläche in m² nach Art**")
        st.dataframe(german_table(area), width="stretch")
if change.open:
    with change:
        delta = service.change(db, alliance, since)
        st.caption(f"Leere Flächen am {since:%d.%m.%Y} und heute, aus dem Verlauf des Katasters.")
        chart, table = st.columns([2, 3])
        bar_chart(
            delta.iloc[:-1],
            "Gemeinde",
            ["neu", "entfallen"],
            value_title="Flächen",
            stacked=False,
            where=chart,
        )
        table.dataframe(german_table(delta), hide_index=True, width="stretch")
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
            f"{count_of(len(cells), 'Wabe', 'Waben')} mit Flächen; die Tabelle „Je Gemeinde“ "
            "nennt dieselben Zahlen ohne Karte."
        )
