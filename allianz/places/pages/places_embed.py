"""Stadtplan zum Einbetten: with `?gemeinde=<AGS>` the map of that member only, with the
layers named in `?ebenen=` (all when none), without the app's navigation, for an iframe on
the member's website (allowed origins: allianz/places/embed.py); without a member, how to
embed it."""

import streamlit as st

from allianz import maps, web_session
from allianz.config import ConfigError
from allianz.formatting import count_of
from allianz.municipalities import service as municipalities
from allianz.places import embed, overview_map, service
from allianz.places.model import CATEGORIES
from allianz.ui import german_table, plain

# Only the page itself: no sidebar, no header (the member's website is the frame around it).
BARE_CSS = (
    '[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
    '[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }'
)
user, alliance, db = web_session.open_page("page.places_embed")
names = {m.ags: m.name for m in alliance.municipalities}
ags = st.query_params.get("gemeinde")
chosen = embed.layers(st.query_params.get("ebenen"))


def instructions() -> None:
    st.title("Stadtplan zum Einbetten")
    st.write(
        "Jede Gemeinde kann ihren Stadtplan (nur ihre Orte, gewählte Ebenen, ohne Navigation) "
        "auf der eigenen Webseite einbinden. Die Webseite muss in der Allianz-Konfiguration "
        "eingetragen sein ([places.embed_origins]); andere Seiten dürfen die Karte nicht "
        "einbetten."
    )
    member = st.selectbox(
        "Gemeinde", list(names), format_func=names.get, index=None, placeholder="Gemeinde wählen"
    )
    picked = st.multiselect(
        "Ebenen", list(CATEGORIES), format_func=CATEGORIES.get, placeholder="alle Ebenen"
    )
    if member:
        try:
            allowed = embed.origins(alliance, member)
        except ConfigError as exc:
            st.error(str(exc))
            allowed = ()
        st.code(embed.snippet(web_session.base_url(), member, picked or list(CATEGORIES)))
        st.caption(
            "Einbetten erlaubt für: " + (", ".join(allowed) if allowed else "noch keine Webseite")
        )


def bare_map(member: str) -> None:
    st.html(f"<style>{BARE_CSS}</style>")
    st.subheader(f"Stadtplan {plain(names[member])}")
    shown = [k for k in chosen if st.checkbox(CATEGORIES[k], value=True, key=f"embed-{k}")]
    layer = overview_map.current(db, tuple(shown), (member,))
    st.caption(count_of(layer.count, "Ort", "Orte"))
    frame = municipalities.areas_frame(db)
    frame = frame[frame["ags"] == member]
    fmap = maps.areas_map(alliance, frame)
    overview_map.add(fmap, layer)
    clicked = maps.clicked_properties(maps.show(fmap, key="places-embed-map", height=480))
    if clicked.get("ref"):
        place = service.get_place(db, clicked["ref"])
        st.link_button(
            f"{place.name}: Details im Stadtplan der Allianz",
            f"{web_session.base_url()}/places?ort={place.id}",
        )
    with st.expander("Orte als Liste"):
        rows = service.places(db, shown, [member], limit=500)
        st.dataframe(
            german_table(
                [{"Name": p.name, "Art": p.category_label, "Adresse": p.address_text}
                 for p in rows]
            ),
            hide_index=True,
            width="stretch",
        )  # fmt: skip


if ags in names:
    bare_map(ags)
else:
    instructions()
