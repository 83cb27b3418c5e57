"""Leerstandsrisiko auswerten (municipal desk): aggregates only — the share of risk
buildings per Ortsteil, a 500 m grid with at least five buildings in every cell shown, and
possible vacancies in 5 and 10 years next to today's. No single building is shown here."""

import geopandas as gpd
import pandas as pd
import streamlit as st

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_float, de_int
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import bar_chart, german_table
from allianz.vacancies import risk_service
from allianz.vacancies.risk_model import CELL_M, K_MIN

user, alliance, db = web_session.open_page("page.vacancy_risk_overview")
names = {m.ags: m.name for m in alliance.municipalities}
SHADES = ("#fde0c5", "#facba6", "#f59e72", "#e4694c", "#b83a3a")

st.title("Leerstandsrisiko auswerten")
if user.municipality_ags:
    chosen = user.municipality_ags
    st.caption(f"Gemeinde {names[chosen]}")
else:
    chosen = st.selectbox(
        "Gemeinde",
        list(names),
        index=None,
        format_func=names.get,
        placeholder="alle Gemeinden",
        key="risk-overview-municipality",
    )
st.caption(
    f"Nur Zahlen über mindestens {K_MIN} Gebäude: kleinere Ortsteile und Rasterzellen werden "
    "mit anderen zusammengefasst. Risikogebäude: alle Gemeldeten 70 oder älter, oder niemand "
    "gemeldet (aus dem Melderegister-Auszug der Gemeinde, nur abgeleitete Merkmale)."
)
try:
    rows = risk_service.ortsteile(db, user, chosen)
except DomainError as exc:
    st.error(" ".join(exc.errors))
    st.stop()

total_buildings = sum(r.tally.buildings for r in rows)
total_risk = sum(r.tally.risk for r in rows)
m1, m2, m3 = st.columns(3)
m1.metric("Gebäude im Auszug", de_int(total_buildings))
m2.metric("Risikogebäude", de_int(total_risk))
m3.metric(
    "Anteil", f"{de_float(100 * total_risk / total_buildings, 1)} %" if total_buildings else "–"
)
if not rows:
    st.info("Noch kein Melderegister-Auszug übernommen (oder die Merkmale sind abgelaufen).")

per_ortsteil, on_grid, outlook = st.tabs(
    ["Je Ortsteil", "Raster", "Ausblick 5/10 Jahre"], key="risk-overview-tab", on_change="rerun"
)
if per_ortsteil.open and rows:
    with per_ortsteil:
        frame = pd.DataFrame(
            [
                {
                    "Gemeinde": names.get(r.municipality_ags, r.municipality_ags),
                    "Ortsteil": r.label,
                    "Gebäude": r.tally.buildings,
                    "Risikogebäude": r.tally.risk,
                    "alle 80+": r.tally.all_80,
                    "alle 70+": r.tally.all_70,
                    "niemand gemeldet": r.tally.no_resident,
                    "Anteil %": round(r.tally.share, 1),
                }
                for r in rows
            ]
        )
        chart = frame.assign(Ortsteil=frame["Gemeinde"] + ": " + frame["Ortsteil"])
        bar_chart(chart, "Ortsteil", "Anteil %", value_title="Anteil Risikogebäude in %")
        st.dataframe(german_table(frame, digits={"Anteil %": 1}), hide_index=True, width="stretch")
if on_grid.open and rows:
    with on_grid:
        groups = risk_service.grid(db, user, chosen)
        areas_frame = municipalities.areas_frame(db)
        if chosen:
            areas_frame = areas_frame[areas_frame["ags"] == chosen]
        fmap = maps.areas_map(alliance, areas_frame)
        table = pd.DataFrame(
            [
                {
                    "Gemeinde": names.get(g.municipality_ags, g.municipality_ags),
                    "Zellen": g.cells,
                    "Gebäude": g.tally.buildings,
                    "Risikogebäude": g.tally.risk,
                    "Anteil %": round(g.tally.share, 1),
                }
                for g in groups
            ],
            columns=["Gemeinde", "Zellen", "Gebäude", "Risikogebäude", "Anteil %"],
        )
        if groups:
            shaded = gpd.GeoDataFrame(
                {
                    "label": [
                        f"{de_int(g.tally.risk)} von {de_int(g.tally.buildings)} Gebäuden "
                        f"({de_float(g.tally.share, 1)} %)"
                        for g in groups
                    ],
                    "fill": [SHADES[min(4, int(g.tally.share / 20))] for g in groups],
                },
                geometry=[g.geometry for g in groups],
                crs="EPSG:4326",
            )
            maps.add_areas(
                fmap,
                shaded,
                layer_name="Risiko im Raster",
                tooltip=[Field("label", "Risikogebäude")],
                fill_column="fill",
            )
        maps.show(fmap, key="risk-grid", height=440, returned_objects=())
        st.caption(
            f"Raster {de_int(CELL_M)} m (ETRS89/UTM32); "
            f"{count_of(len(groups), 'Feld', 'Felder')}, jedes mit mindestens {K_MIN} Gebäuden. "
            "Dieselben Zahlen als Tabelle:"
        )
        st.dataframe(german_table(table, digits={"Anteil %": 1}), hide_index=True, width="stretch")
if outlook.open:
    with outlook:
        st.info(risk_service.PROJECTION_ASSUMPTION)
        items = risk_service.projection(db, user, chosen)
        frame = pd.DataFrame(
            [
                {
                    "Gemeinde": names.get(p.municipality_ags, p.municipality_ags),
                    "Leerstände heute": p.vacant_now,
                    "dazu niemand gemeldet": p.unregistered_now,
                    "möglich in 5 Jahren": p.in_5_years,
                    "möglich in 10 Jahren": p.in_10_years,
                }
                for p in items
            ],
            columns=[
                "Gemeinde",
                "Leerstände heute",
                "dazu niemand gemeldet",
                "möglich in 5 Jahren",
                "möglich in 10 Jahren",
            ],
        )
        if len(frame):
            bar_chart(
                frame,
                "Gemeinde",
                ["Leerstände heute", "möglich in 5 Jahren", "möglich in 10 Jahren"],
                value_title="Gebäude",
                stacked=False,
            )
        st.dataframe(german_table(frame), hide_index=True, width="stretch")
        st.caption(
            "„Leerstände heute“: Gebäude-Leerstände im Leerstandskataster (leer oder in "
            "Vermittlung). Bereits übernommene Risikogebäude zählen nur dort."
        )
