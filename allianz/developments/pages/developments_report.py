"""Bauvorhaben melden: staff report a development of their member with its area, read from a
GeoJSON, GeoPackage, zipped Shapefile, KML or XPlanGML file, or drawn: corner points clicked on
the map or typed (one "Breite; Länge" per line, so it works by keyboard too). The drawing tool
of Leaflet.draw is not used: the app serves its map scripts itself and does not carry that
plugin. A preview shows the area, its search radius and the neighbours that will be asked."""

import streamlit as st

from allianz import maps, web_session
from allianz.auth import Role
from allianz.developments import presentation, service
from allianz.developments.model import EFFECTS, KINDS, STAGES, Draft
from allianz.errors import DomainError
from allianz.formatting import de_float, de_int
from allianz.municipalities import service as municipalities
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.developments_report")
names = {m.ags: m.name for m in alliance.municipalities}
areas = municipalities.areas(db)

st.title("Bauvorhaben melden")
st.write(
    "Die Meldung geht an die Nachbargemeinden im Umkreis (je nach Art des Vorhabens) und an "
    "die Geschäftsstelle. Sie ist **nicht öffentlich**."
)
st.page_link("allianz/developments/pages/developments.py", label="← Alle Bauvorhaben")

if user.role is Role.STAFF:
    reporter = user.municipality_ags
    st.write(f"Meldende Gemeinde: **{plain(names.get(reporter or '', '–'))}**")
else:
    reporter = st.selectbox(
        "Meldende Gemeinde", list(names), format_func=names.get, index=None,
        placeholder="Gemeinde wählen",
    )  # fmt: skip
kind = st.selectbox(
    "Art des Vorhabens", list(KINDS), format_func=KINDS.get, index=None,
    placeholder="Art wählen",
)  # fmt: skip
SOURCES = {"file": "Datei hochladen", "draw": "auf der Karte zeichnen oder Eckpunkte eingeben"}
source = st.radio(
    "Fläche angeben", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="bv-source"
)
CORNERS = "bv-corners"


def _drop_last_corner() -> None:
    lines = [line for line in st.session_state.get(CORNERS, "").splitlines() if line.strip()]
    st.session_state[CORNERS] = "\n".join(lines[:-1])


def _clear_corners() -> None:
    st.session_state[CORNERS] = ""


def _draw() -> tuple[tuple[dict, str] | None, str]:
    """The corner points: each click on the map adds one line to the field below, which can
    also be typed or corrected by keyboard. Returns ((geometry, source) or None, token part)."""
    st.caption(
        "Klicken Sie nacheinander auf die Eckpunkte der Fläche; jeder Klick fügt unten eine "
        "Zeile an. Sie können die Eckpunkte auch eintippen oder korrigieren: eine Zeile je "
        "Punkt, „Breite; Länge“, z. B. 51,2781; 12,5870. Die Fläche wird automatisch "
        "geschlossen."
    )
    fmap = presentation.drawing_map(
        alliance, municipalities.areas_frame(db), st.session_state.get(CORNERS, "")
    )
    clicked = maps.show(fmap, key="bv-draw", returned_objects=("last_clicked",)).get("last_clicked")
    if clicked and clicked != st.session_state.get("bv-draw-last"):
        st.session_state["bv-draw-last"] = clicked
        text = st.session_state.get(CORNERS, "").rstrip("\n")
        line = service.point_line(clicked["lng"], clicked["lat"])
        st.session_state[CORNERS] = f"{text}\n{line}" if text else line
        st.rerun()
    text = st.text_area(
        "Eckpunkte (eine Zeile je Punkt: Breite; Länge)", key=CORNERS, height=160,
        max_chars=service.MAX_POINTS * 40,
    )  # fmt: skip
    cols = st.columns(2)
    cols[0].button("Letzten Eckpunkt entfernen", on_click=_drop_last_corner)
    cols[1].button("Alle Eckpunkte löschen", on_click=_clear_corners)
    if not text.strip():
        return None, ""
    try:
        return service.corners_polygon(text), text
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return None, text


area = None
upload = None
token_part = ""
if source == "draw":
    area, token_part = _draw()
else:
    upload = st.file_uploader(
        "Fläche als Datei (GeoJSON, GeoPackage, Shapefile als ZIP, KML oder XPlanGML)",
        type=["geojson", "json", "gpkg", "zip", "kml", "gml", "xml"],
        key="bv-area",
    )
if upload is not None:
    token_part = upload.file_id
    cached = st.session_state.get("bv-area-read")
    if not cached or cached[0] != upload.file_id:
        try:
            cached = (upload.file_id, service.read_upload(upload.name, upload.getvalue()), None)
        except DomainError as exc:
            cached = (upload.file_id, None, " ".join(exc.errors))
        st.session_state["bv-area-read"] = cached
    if cached[2]:
        st.error(cached[2])
    else:
        area = cached[1]

if area and kind:
    try:
        made = service.preview(alliance, areas, area[0], kind, reporter)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        area = None
    else:
        st.subheader("Vorschau")
        if made.repaired:
            st.warning(
                "Der Umriss überkreuzt sich selbst; er wurde in gültige Teilflächen zerlegt. "
                "Bitte prüfen Sie die Vorschau oder ordnen Sie die Eckpunkte neu."
            )
        reached = ", ".join(
            f"{names.get(ags, ags)} ({de_float(distance / 1000, 1)} km)"
            for ags, distance in made.affected
        )
        st.write(
            f"Fläche {de_float(made.area_ha, 2)} ha · Umkreis {de_int(made.distance_km)} km · "
            f"betroffen: {plain(reached) or 'keine Nachbargemeinde'}"
        )
        maps.show(
            presentation.preview_map(alliance, municipalities.areas_frame(db), made),
            key="bv-preview",
            returned_objects=(),
        )

with st.form(web_session.form_key("bv-report")):
    title = st.text_input("Titel des Vorhabens", max_chars=service.LINE_MAX)
    stage = st.selectbox(
        "Verfahrensstand", list(STAGES), format_func=STAGES.get, index=None,
        placeholder="Stand wählen",
    )  # fmt: skip
    cols = st.columns(3)
    area_ha = cols[0].number_input(
        "Fläche in ha (leer: aus der Geometrie)", min_value=0.0, value=None, step=0.1
    )
    dwellings = cols[1].number_input("Wohneinheiten", min_value=0, value=None, step=1)
    floor_space = cols[2].number_input(
        "Verkaufs-/Geschossfläche (m²)", min_value=0, value=None, step=100
    )
    effects = st.multiselect(
        "Erwartete Auswirkungen", list(EFFECTS), format_func=EFFECTS.get,
        placeholder="Auswirkungen wählen",
    )  # fmt: skip
    effects_text = st.text_area("Auswirkungen erläutern", max_chars=service.TEXT_MAX)
    cols = st.columns(3)
    contact_name = cols[0].text_input("Ansprechperson", max_chars=service.LINE_MAX)
    contact_email = cols[1].text_input("E-Mail", max_chars=service.LINE_MAX)
    contact_phone = cols[2].text_input("Telefon", max_chars=service.LINE_MAX)
    extra = st.multiselect(
        "Weitere Gemeinden beteiligen", [a for a in names if a != reporter],
        format_func=names.get, placeholder="Gemeinden wählen",
    )  # fmt: skip
    pdfs = st.file_uploader(
        "Unterlagen (PDF, je höchstens 10 MB)", type=["pdf"], accept_multiple_files=True
    )
    if st.form_submit_button("Bauvorhaben melden", type="primary"):
        if area is None or not kind:
            st.error(
                "Bitte die Art des Vorhabens wählen und die Fläche als Datei hochladen oder "
                "zeichnen."
            )
        else:
            draft = Draft(
                title=title, kind=kind, stage=stage or "", geometry=area[0], area_ha=area_ha,
                dwellings=dwellings, floor_space_m2=floor_space, effects=tuple(effects),
                effects_text=effects_text, contact_name=contact_name,
                contact_email=contact_email, contact_phone=contact_phone,
                extra_members=tuple(extra), geometry_source=area[1],
            )  # fmt: skip
            token = web_session.form_token("development-report", title, kind, token_part)
            documents = tuple((f.name, f.getvalue()) for f in pdfs or ())
            web_session.act(
                lambda: service.report(
                    db,
                    alliance,
                    areas,
                    user,
                    draft,
                    token,
                    reporter_ags=reporter,
                    documents=documents,
                ),  # fmt: skip
                lambda made_id: (
                    f"Bauvorhaben BV-{made_id:04d} gemeldet; die betroffenen "
                    "Gemeinden sind benachrichtigt."
                ),
                form="bv-report",
            )
