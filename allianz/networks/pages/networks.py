"""Radwege & Kernwege: both networks on the map and in a table, with key figures."""

import pandas as pd
import streamlit as st

from allianz import auth, maps, web_session
from allianz.formatting import de_datetime, de_float
from allianz.municipalities import service as municipalities
from allianz.networks import presentation, service, snapshot
from allianz.networks.model import (
    CONDITIONS,
    NETWORK_LABELS,
    STATUS_LABELS,
    SURFACES,
    Network,
    SegmentStatus,
)
from allianz.ui import bar_chart, german_table, plain

user, alliance, db = web_session.open_page("page.networks")
areas = municipalities.areas(db)
network = snapshot.current(db, areas)
data = network.prepared.data

st.title("Radwege & Kernwege")
if any(s.is_demo for s in network.prepared.segments):
    st.info(maps.DEMO_LABEL, icon=":material/info:")

names = {a.ags: a.name for a in areas}
with st.expander("Auswahl und Darstellung", expanded=True):
    cols = st.columns(4)
    chosen_networks = cols[0].multiselect(
        "Netz",
        list(Network),
        default=list(Network),
        format_func=NETWORK_LABELS.get,
        placeholder="keins",
    )
    chosen_ags = cols[1].selectbox(
        "Gemeinde",
        [None, *names],
        format_func=lambda a: "alle" if a is None else names[a],
        placeholder="Gemeinde wählen",
    )
    chosen_status = cols[2].multiselect(
        "Status",
        [s.value for s in SegmentStatus],
        format_func=lambda v: STATUS_LABELS[SegmentStatus(v)],
        placeholder="alle",
    )
    chosen_priority = cols[3].multiselect("Priorität", ["A", "B", "C", "-"], placeholder="alle")
    left, right = st.columns([3, 1])
    mode = left.radio(
        "Färben nach",
        list(presentation.COLOUR_MODES),
        format_func=presentation.COLOUR_MODES.get,
        horizontal=True,
    )
    only_gaps = right.checkbox("nur Lücken")

selected = service.select(
    network.prepared,
    service.SegmentFilter(
        networks=frozenset(chosen_networks),
        municipality_ags=chosen_ags,
        statuses=tuple(chosen_status),
        priorities=tuple(chosen_priority),
        only_gaps=only_gaps,
    ),
)
figures = service.figures(network.prepared, selected)

cols = st.columns(6)
cols[0].metric("Radwegenetz", f"{de_float(figures.km_rad)} km")
cols[1].metric("Kernwegenetz", f"{de_float(figures.km_kern)} km")
cols[2].metric(
    "geprüft", f"{de_float(figures.km_reviewed)} km", help=f"von {de_float(figures.km_total)} km"
)
cols[3].metric("Lücken", f"{de_float(figures.km_gaps)} km")
cols[4].metric("Priorität A", f"{de_float(figures.km_priority_a)} km")
cols[5].metric("Abschnitte", int(selected.sum()))

# Only the open tab is built (a rerun on switching): the table of 30,000 segments and the
# charts are not sent while someone looks at the map.
tab_map, tab_table, tab_figures = st.tabs(
    ["Karte", "Tabelle", "Kennzahlen"], key="network-tab", on_change="rerun"
)
if tab_map.open:
    with tab_map:
        st.caption("Lücken (fehlende Verbindungen) sind gestrichelt und breiter gezeichnet.")
        st.html(
            "<div style='display:flex;gap:.8rem;flex-wrap:wrap;font-size:.85rem'>"
            + "".join(
                f"<span><span style='display:inline-block;width:1.6rem;height:.35rem;"
                f"background:{hue};vertical-align:middle'></span> {maps.escape(label)}</span>"
                for hue, label in presentation.legend(mode)
            )
            + "</div>"
        )
        areas_frame = municipalities.areas_frame(db)
        fmap = maps.areas_map(alliance, areas_frame, color="#6c757d")
        layers, styles = presentation.map_layers(data, network.row_tails, selected, mode)
        for layer in layers:
            if layer.count:
                maps.SegmentLines(layer.rows_json, styles, NETWORK_LABELS[layer.network]).add_to(
                    fmap
                )
        maps.add_layer_control(fmap)
        clicked = maps.clicked_properties(maps.show(fmap, key=f"networks-{mode}", height=520))
        st.caption(
            "Ohne Maus: Nummer oder Namen eingeben und den Abschnitt in der Liste wählen "
            "(höchstens 50 Treffer; die Tabelle zeigt alle)."
        )
        left, right = st.columns([1, 2])
        query = left.text_input(
            "Abschnitt suchen (Nr. oder Name)", placeholder="z. B. 12 oder Muldentalradweg"
        )
        labels = presentation.matching(data, selected, query)
        chosen_id = right.selectbox(
            "Abschnitt (ohne Maus wählen)",
            [None, *labels],
            format_func=lambda i: "–" if i is None else labels[i],
            placeholder="Abschnitt wählen",
        )
        selected_id = int(clicked["id"]) if clicked.get("id") else chosen_id
        segment = service.get(db, selected_id) if selected_id else None
        if segment is not None:
            st.subheader(plain(f"Abschnitt {segment.id}: {segment.name}"))
            facts = [
                ("Netz", ", ".join(NETWORK_LABELS[n] for n in segment.networks)),
                ("Länge", f"{de_float(segment.length_m / 1000, 2)} km"),
                ("Zustand", CONDITIONS.get(segment.shown_condition, "unbekannt")),
                ("Oberfläche", SURFACES.get(segment.surface, "–")),
                ("Breite", f"{de_float(segment.width_m)} m" if segment.width_m else "–"),
                ("Status", STATUS_LABELS[segment.status]),
                ("Priorität", segment.priority or "–"),
                ("Lücke", "ja" if segment.gap else "nein"),
                (
                    "zuletzt geprüft",
                    de_datetime(segment.last_review_at) if segment.last_review_at else "nie",
                ),
            ]
            st.markdown("\n".join(f"- **{k}:** {plain(v)}" for k, v in facts))
            latest = service.reviews(db, segment.id)[:1]
            if latest and latest[0].comment:
                st.markdown("**Letzte Bewertung:** " + plain(latest[0].comment))
            if auth.can(user.role, "page.network_review"):
                st.page_link(
                    "allianz/networks/pages/network_review.py",
                    label="Diesen Abschnitt bewerten",
                    query_params={"segment": str(segment.id)},
                    icon=":material/rate_review:",
                )
if tab_table.open:
    with tab_table:
        st.dataframe(german_table(network.table[selected]), hide_index=True, width="stretch")
if tab_figures.open:
    with tab_figures:
        left, right = st.columns(2)
        left.markdown("**km nach Zustand**")
        condition_km = pd.DataFrame(
            {"Zustand": list(figures.by_condition), "km": list(figures.by_condition.values())}
        )
        bar_chart(condition_km, "Zustand", "km", horizontal=False, where=left)
        left.table(
            german_table(
                {"Zustand": list(figures.by_condition), "km": list(figures.by_condition.values())}
            )
        )
        right.markdown("**km nach Status**")
        status_km = {STATUS_LABELS[SegmentStatus(k)]: v for k, v in figures.by_status.items()}
        bar_chart(
            pd.DataFrame({"Status": list(status_km), "km": list(status_km.values())}),
            "Status",
            "km",
            horizontal=False,
            where=right,
        )
        right.table(german_table({"Status": list(status_km), "km": list(status_km.values())}))
        st.markdown("**km je Gemeinde** (an den Gemeindegrenzen geteilt)")
        st.dataframe(german_table(figures.by_municipality), hide_index=True, width="stretch")

if auth.can(user.role, "networks.export"):
    st.subheader("Export")
    left, mid, right = st.columns(3)
    left.download_button(
        "Netze als GeoPackage",
        web_session.deferred(lambda conn: service.export_for(conn, user, ".gpkg")),
        file_name="netze.gpkg",
        mime="application/geopackage+sqlite3",
        on_click="ignore",
    )
    mid.download_button(
        "Netze als GeoJSON",
        web_session.deferred(lambda conn: service.export_for(conn, user, ".geojson")),
        file_name="netze.geojson",
        mime="application/geo+json",
        on_click="ignore",
    )
    right.download_button(
        "Lücken und Priorität A (CSV)",
        web_session.deferred(lambda conn: service.export_for(conn, user, ".csv")),
        file_name="luecken-prioritaet-a.csv",
        mime="text/csv",
        on_click="ignore",
    )
