"""Municipal desk: the figures, area and audit trail of the user's own municipality."""

import streamlit as st

from allianz import audit, auth, features, maps, web_session
from allianz.accounts import service as accounts
from allianz.formatting import de_float, de_int
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import audit_table, plain

user, alliance, db = web_session.open_page("page.municipality_desk")

st.title("Meine Gemeinde")
if user.municipality_ags:
    ags = user.municipality_ags
else:  # the alliance manager looks at any member
    names = {m.ags: m.name for m in alliance.municipalities}
    ags = st.selectbox(
        "Gemeinde", options=list(names), format_func=names.get, placeholder="Gemeinde wählen"
    )
municipality = alliance.municipality(ags)
st.header(municipality.name)

for feature in features.registry():  # what the member has still to do, slice by slice
    if feature.municipality_desk is not None:
        heading, teasers = feature.municipality_desk(db, user, ags)
        if teasers:
            st.subheader(heading)
            for teaser in teasers:
                st.page_link(teaser.page, label=plain(teaser.text), query_params=teaser.query)

figures = municipalities.key_figures(db, alliance)
row = figures[figures["AGS"] == ags]
if row.empty:
    st.warning("Für diese Gemeinde ist noch kein Gebiet geladen (`allianz db init`).")
    st.stop()
row = row.iloc[0]
cols = st.columns(4)
cols[0].metric("Einwohner", de_int(row["Einwohner"]))
cols[1].metric("Fläche (km²)", de_float(row["Fläche km²"]))
cols[2].metric("Einw./km²", int(row["Einw./km²"]))
cols[3].metric("Ortsteile", int(row["Ortsteile"]))
st.write("Ortsteile: " + ", ".join(municipality.ortsteile))

frame = municipalities.areas_frame(db)
own = frame[frame["ags"] == ags]
if bool(own["is_demo"].iloc[0]):
    st.info(maps.DEMO_LABEL, icon=":material/info:")
fmap = maps.base_map(alliance, own.total_bounds)
maps.add_areas(fmap, own, layer_name=municipality.name, tooltip=[Field("name", "Gemeinde")])
maps.show(fmap, key=f"desk-map-{ags}", height=360, returned_objects=())
st.caption(f"Grenzen: {row['Grenzen']}")

st.subheader("Protokoll der Änderungen")
if auth.can(user.role, "audit.view_own_municipality"):
    entries = audit.recent(db, municipality_ags=ags, limit=100)
    audit_table(
        entries,
        ("at", "actor", "actor_role", "action", "entity_id", "reason"),
        people=accounts.display_names(db),
    )
