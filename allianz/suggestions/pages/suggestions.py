"""Hinweise: the public map and list of all suggestions, and one suggestion's public page."""

from datetime import date

import streamlit as st

from allianz import maps, web_session
from allianz.errors import DomainError
from allianz.formatting import de_datetime, de_int
from allianz.maps import Field
from allianz.measures import service as measures
from allianz.measures.model import STATUSES as MEASURE_STATUSES
from allianz.municipalities import service as municipalities
from allianz.suggestions import overview_map, presentation, service
from allianz.suggestions.model import STATUS_LABELS, Status
from allianz.ui import plain, user_text

user, alliance, db = web_session.open_page("page.suggestions")
ref = web_session.detail_key("ref")
PAGE_SIZE = 25


def detail(suggestion) -> None:
    st.title(f"Hinweis {suggestion.ref}")
    if st.button("← Alle Hinweise"):
        st.query_params.clear()
        st.rerun()
    if suggestion.hidden:
        st.info("Dieser Hinweis wurde von der Verwaltung ausgeblendet.")
        return
    if suggestion.merged_into:
        target = service.get(db, suggestion.merged_into)
        st.info(f"Dieser Hinweis wurde mit {target.ref} zusammengeführt.")
        st.page_link(
            "allianz/suggestions/pages/suggestions.py",
            label=f"Zu Hinweis {target.ref}",
            query_params={"ref": target.ref},
        )
        return
    st.subheader(plain(suggestion.title))
    cols = st.columns(4)
    cols[0].metric("Status", STATUS_LABELS[suggestion.status])
    cols[1].metric(
        "Gemeinde", presentation.municipality_name(alliance, suggestion.municipality_ags)
    )
    cols[2].metric("Kategorie", presentation.category_label(alliance, suggestion.category))
    cols[3].metric("Unterstützungen", suggestion.supports)
    st.caption(
        f"Gemeldet am {de_datetime(suggestion.created_at)[:10]}"
        + ("" if suggestion.location_precise else " · Lage ungefähr")
    )
    user_text(suggestion.description)
    if suggestion.address_text:
        st.markdown("**Ortsangabe:** " + plain(suggestion.address_text))
    if suggestion.has_photo:
        st.image(service.photo(db, suggestion.id), caption="Foto zum Hinweis", width=480)
    st.markdown("**Antwort der Gemeinde**")
    if suggestion.public_answer:
        user_text(suggestion.public_answer)
    else:
        st.write("Noch keine Antwort.")
    for measure in measures.measures_for(db, "suggestion", suggestion.id):
        st.success(
            plain(
                f"Dieser Hinweis wurde Teil der Maßnahme {measure.ref}: {measure.title} "
                f"({MEASURE_STATUSES[measure.status]})."
            )
        )
        st.page_link("allianz/measures/pages/measures.py", label="Zu den Maßnahmen der Allianz")
    supported = st.session_state.setdefault("supported", set())
    can_support = not suggestion.closed and suggestion.id not in supported
    if can_support and st.button("Diesen Hinweis unterstützen (+1)"):
        try:
            service.support(db, suggestion.id, web_session.visitor())
        except DomainError as exc:
            st.error(" ".join(exc.errors))
        else:
            supported.add(suggestion.id)
            st.rerun()
    fmap = maps.base_map(alliance)
    maps.add_point_layer(
        fmap,
        presentation.points([suggestion], alliance),
        layer_name="Hinweis",
        tooltip=[Field("title", "Hinweis")],
    )
    fmap.location = [suggestion.lat, suggestion.lon]
    maps.show(fmap, key=f"detail-{suggestion.ref}", height=320, returned_objects=())


def overview() -> None:
    st.title("Hinweise")
    st.write("Alle Hinweise und Ideen aus der Allianz, mit dem Stand der Bearbeitung.")
    names = {m.ags: m.name for m in alliance.municipalities}
    labels = {c.code: c.label for c in alliance.categories}
    with st.expander("Filter", expanded=True):
        left, mid, right = st.columns(3)
        chosen_ags = left.multiselect(
            "Gemeinde", list(names), format_func=names.get, placeholder="alle"
        )
        chosen_categories = mid.multiselect(
            "Kategorie", list(labels), format_func=labels.get, placeholder="alle"
        )
        chosen_status = right.multiselect(
            "Status", list(Status), format_func=STATUS_LABELS.get, placeholder="alle"
        )
        period = st.date_input(
            "Zeitraum",
            value=overview_map.default_period(date.today()),
            format="DD.MM.YYYY",
        )
    filters = overview_map.filters_for(
        period,
        municipality_ags=tuple(chosen_ags),
        categories=tuple(chosen_categories),
        statuses=tuple(chosen_status),
    )
    layer = overview_map.current(db, filters, alliance)
    total = layer.count
    st.caption(f"{de_int(total)} Hinweise")
    # Only the open tab is built (a rerun on switching): the first view is the map alone.
    tab_map, tab_list = st.tabs(["Karte", "Liste"], key="suggestions-tab", on_change="rerun")
    if tab_map.open:
        with tab_map:
            map_tab(layer)
    if tab_list.open:
        with tab_list:
            list_tab(filters, total)


def map_tab(layer: overview_map.OverviewLayer) -> None:
    fmap = maps.areas_map(alliance, municipalities.areas_frame(db))
    overview_map.add(fmap, layer)
    st.caption("Farben der Punkte: " + presentation.status_legend())
    clicked = maps.clicked_properties(maps.show(fmap, key="suggestions-map", height=460))
    if clicked.get("ref"):
        st.page_link(
            "allianz/suggestions/pages/suggestions.py",
            label=f"Hinweis {clicked['ref']} öffnen",
            query_params={"ref": clicked["ref"]},
            icon=":material/open_in_new:",
        )


def list_tab(filters: service.Filters, total: int) -> None:
    pages = max(1, -(-total // PAGE_SIZE))
    page = st.number_input("Seite", min_value=1, max_value=pages, value=1) if pages > 1 else 1
    for item in service.search(db, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE):
        st.page_link(
            "allianz/suggestions/pages/suggestions.py",
            label=plain(f"{item.ref} · {item.title}"),
            query_params={"ref": item.ref},
        )
        st.caption(
            plain(
                " · ".join(
                    [
                        presentation.category_label(alliance, item.category),
                        presentation.municipality_name(alliance, item.municipality_ags),
                        STATUS_LABELS[item.status],
                        f"{item.supports} Unterstützungen",
                        f"gemeldet {de_datetime(item.created_at)[:10]}",
                    ]
                )
            )
        )


if ref:
    found = service.by_ref(db, ref)
    if found is None:
        st.title("Hinweise")
        st.error(f"Einen Hinweis mit der Nummer {plain(ref)} gibt es nicht.")
    else:
        detail(found)
else:
    overview()
