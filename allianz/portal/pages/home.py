"""Start page: the alliance, its member municipalities on a map and in a table."""

import streamlit as st

from allianz import features, geo, maps, navigation, web_session
from allianz.formatting import de_float, de_int
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain

user, alliance, db = web_session.open_page("page.home")

st.title(alliance.name)
st.caption(f"{alliance.legal_form} · {alliance.district}, {alliance.state}")
if alliance.description:
    st.write(alliance.description)

items = municipalities.areas(db)
figures = municipalities.key_figures(db, alliance)
cols = st.columns(4)
cols[0].metric("Mitgliedsgemeinden", de_int(len(alliance.municipalities)))
cols[1].metric("Einwohner", de_int(alliance.inhabitants))
cols[2].metric("Fläche (km²)", de_float(figures["Fläche km²"].sum()))
cols[3].metric("Ortsteile", de_int(figures["Ortsteile"].sum()))

areas_frame = municipalities.frame_of(items)
any_demo = any(a.is_demo for a in items)


@st.fragment
def municipality_map() -> None:
    st.subheader("Karte der Mitgliedsgemeinden")
    if any_demo:
        st.info(maps.DEMO_LABEL, icon=":material/info:")
    fmap = maps.base_map(alliance, areas_frame.total_bounds if len(areas_frame) else None)
    maps.add_areas(
        fmap,
        areas_frame,
        layer_name="Gemeindegebiete",
        tooltip=[Field("name", "Gemeinde")],
        popup=[Field("name", "Gemeinde"), Field("ags", "AGS"), Field("boundary_source", "Grenzen")],
        id_column="ags",
    )
    maps.add_points(
        fmap,
        [maps.MapPoint(a.seat_lat, a.seat_lon, f"{a.name} (Verwaltungssitz)") for a in items],
        layer_name="Verwaltungssitze",
    )
    maps.add_layer_control(fmap)
    clicked = maps.clicked_properties(maps.show(fmap, key="home-map", height=460))

    st.markdown("**Ohne Maus:** Gemeinde wählen oder Koordinaten eingeben.")
    left, right = st.columns(2)
    names = {a.ags: a.name for a in items}
    chosen = left.selectbox(
        "Gemeinde",
        options=[None, *names],
        format_func=lambda a: "–" if a is None else names[a],
        placeholder="Gemeinde wählen",
    )
    coords = right.text_input("Koordinaten (Breite, Länge)", placeholder="51.3347, 12.6089")
    selected = clicked.get("ags") or chosen
    if coords:
        try:
            lat, lon = geo.parse_coordinates(coords)
        except ValueError as exc:
            right.error(str(exc))
        else:
            location = municipalities.locate(items, lat, lon)
            if location.municipality is None:
                right.warning("Dieser Punkt liegt außerhalb der Allianz.")
            else:
                selected = location.municipality.ags
                near = ", ".join(a.name for a in location.near)
                right.success(
                    f"Der Punkt liegt in {location.municipality.name}"
                    + (f" (nahe der Grenze zu {near})" if near else "")
                )
    if selected in names:
        row = figures[figures["AGS"] == selected].iloc[0]
        municipality = alliance.municipality(selected)
        st.success(f"Ausgewählt: {municipality.name}")
        st.write(
            f"AGS {municipality.ags} · {de_int(row['Einwohner'])} Einwohner "
            f"({municipality.inhabitants_year}) · {de_float(row['Fläche km²'])} km² · "
            f"Ortsteile: {', '.join(municipality.ortsteile)}"
        )


municipality_map()

for feature in features.registry():
    if feature.start_page is not None:
        heading, teasers = feature.start_page(db, user)
        if teasers:
            st.subheader(heading)
            for teaser in teasers:
                st.page_link(teaser.page, label=plain(teaser.text), query_params=teaser.query)

st.subheader("Mitgliedsgemeinden als Tabelle")
st.dataframe(german_table(figures, digits={"Fläche km²": 1}), hide_index=True, width="stretch")

st.subheader("Was Sie hier finden")
for spec in navigation.pages_for(user.role):
    if spec.path != "allianz/portal/pages/home.py":
        st.page_link(spec.path, label=f"{spec.title}: {spec.summary}", icon=spec.icon)

st.subheader("Datenquellen")
sources = sorted({a.boundary_source for a in items})
st.markdown(
    f"- Gemeindegebiete: {', '.join(sources) or '–'}"
    + (
        " – angenäherte Demo-Flächen (Voronoi um die Verwaltungssitze), keine amtlichen Grenzen."
        if any_demo
        else ""
    )
    + "\n- Einwohnerzahlen: amtliche Statistik (Stand siehe Tabelle), Flächen gemessen in"
    " ETRS89/UTM32N (EPSG:25832)." + f"\n- Hintergrundkarte: {alliance.tiles.attribution}"
)
