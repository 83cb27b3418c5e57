"""Netz importieren: read a GIS file, preview it, map its columns, then save all or nothing."""

import tempfile
from pathlib import Path

import streamlit as st

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_float
from allianz.municipalities import service as municipalities
from allianz.networks import importer, service
from allianz.networks.model import NETWORK_LABELS, Network

TARGET_LABELS = {
    "name": "Name",
    "surface": "Oberfläche",
    "width_m": "Breite (m)",
    "status": "Status",
    "priority": "Priorität (A/B/C)",
    "responsible": "Baulastträger",
    "cost_eur": "Kosten (€)",
}

user, alliance, db = web_session.open_page("page.network_import")
areas = municipalities.areas(db)
state = st.session_state

st.title("Netz importieren")
st.write(
    "GPX (Tracks und Routen), GeoJSON, KML, GeoPackage oder Shapefile als ZIP, in jedem "
    "Koordinatensystem. Sie sehen erst eine Vorschau; gespeichert wird nur eine Datei ohne "
    "Fehler, und dann alles auf einmal."
)
upload = st.file_uploader("Datei", type=["gpx", "geojson", "json", "kml", "gpkg", "zip"])
networks = st.multiselect(
    "Netz",
    list(Network),
    default=[Network.RAD],
    format_func=NETWORK_LABELS.get,
    placeholder="bitte wählen",
)
if upload is None:
    st.stop()

# Reading is the slow part: do it once per uploaded file, not on every widget change.
key = f"{upload.name}:{upload.size}:{upload.file_id}"
if state.get("import_key") != key:
    bar = st.progress(0.0, text="Datei wird geprüft …")
    try:
        with tempfile.TemporaryDirectory(prefix="allianz-import-") as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            state["import_read"] = service.read_import(
                path, areas, progress=lambda f: bar.progress(f, text="Datei wird geprüft …")
            )
    except DomainError as exc:
        state.pop("import_key", None)
        for message in exc.errors:
            st.error(message)
        st.stop()
    finally:
        bar.empty()
    state["import_key"] = key
read = state["import_read"]
mapping = {}
if read.columns:
    st.markdown("**Spalten zuordnen** (optional)")
    cols = st.columns(4)
    for number, (target, label) in enumerate(TARGET_LABELS.items()):
        choice = cols[number % 4].selectbox(
            label,
            [None, *read.columns],
            key=f"map-{target}",
            format_func=lambda c: "–" if c is None else c,
            placeholder="Bitte wählen",
        )
        if choice:
            mapping[target] = choice
preview = importer.apply_mapping(read, mapping)

cols = st.columns(3)
cols[0].metric("Linien", len(preview.rows))
cols[1].metric("Länge", f"{de_float(preview.km, 2)} km")
cols[2].metric("Fehler", len(preview.errors))
for note in preview.notes:
    st.info(note)
if preview.errors:
    st.error("Die Datei kann so nicht übernommen werden. Nichts wurde gespeichert.")
    st.dataframe({"Fehler": preview.errors}, hide_index=True, width="stretch")
if preview.rows:
    frame = service.frame_of_rows(preview.rows)
    fmap = maps.base_map(alliance, frame.total_bounds)
    maps.add_lines(
        fmap, frame, layer_name="Vorschau", tooltip=[maps.Field("name", "Linie")], color="#7209b7"
    )
    maps.show(fmap, key="import-preview", height=380, returned_objects=())
if preview.ok and st.button("Speichern", type="primary", disabled=not networks):
    try:
        token = web_session.form_token(
            "network-import", key, sorted(networks), sorted(mapping.items())
        )
        count = service.import_for(db, user, preview, set(networks), token=token)
    except DomainError as exc:
        for message in exc.errors:
            st.error(message)
    else:
        state.pop("import_key", None)
        segments = count_of(count, "Abschnitt", "Abschnitte")
        web_session.saved(f"{segments} ({de_float(preview.km, 2)} km) gespeichert.")
