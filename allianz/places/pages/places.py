"""Stadtplan & Ansprechpartner: the places of every member on one map with a layer per
category (switched with checkboxes, so keyboard and screen reader reach them), the same
layers as accessible lists, a search over places and the town halls' contacts ("Wer ist
zuständig für …?"), and each place at `?ort=<id>` (a link that survives a reload) with its
opening hours ("jetzt geöffnet"), contacts and their vCards."""

import html
from datetime import UTC, date, datetime

import streamlit as st

from allianz import maps, web_session
from allianz.errors import NotFound
from allianz.formatting import count_of, de_int
from allianz.municipalities import service as municipalities
from allianz.places import hours, overview_map, service
from allianz.places.model import CATEGORIES, CATEGORY_COLORS
from allianz.places.presentation import contact_card, wheelchair_label
from allianz.ui import german_table, plain, user_text

PAGE = "allianz/places/pages/places.py"
LIST_LIMIT = 200  # rows per layer in the list; more are narrowed by member or search
LAYER_COLUMNS = 4
user, alliance, db = web_session.open_page("page.places")
chosen = web_session.detail_key("ort")
names = {m.ags: m.name for m in alliance.municipalities}
now = datetime.now(UTC)


def search_box() -> None:
    asked = st.text_input(
        "Suche: Wer ist zuständig für …? Welcher Ort …?",
        value=st.query_params.get("suche", ""),
        placeholder="z. B. Hundesteuer, Bauhof Naunhof, Bibliothek",
        max_chars=120,
        key="places-search",
    )
    if not asked.strip():
        return
    found, people = service.search(db, asked)
    if not found and not people:
        st.info("Dazu haben wir keinen Ort und keinen Ansprechpartner gefunden.")
        return
    if found:
        st.markdown(f"**Orte ({de_int(len(found))})**")
        for place in found:
            st.page_link(
                PAGE,
                label=plain(f"{place.name} · {place.category_label} · "
                            f"{names.get(place.municipality_ags, '')}"),
                query_params={"ort": str(place.id)},
                icon=":material/place:",
            )  # fmt: skip
    if people:
        st.markdown(f"**Ansprechpartner ({de_int(len(people))})**")
        for contact in people:
            contact_card(db, alliance, contact, names, "search")


def layer_switch() -> list[str]:
    st.markdown("**Ebenen der Karte**")
    columns = st.columns(LAYER_COLUMNS)
    per_column = -(-len(CATEGORIES) // LAYER_COLUMNS)
    shown = []
    # filled column by column: on a phone the columns stack, and the layers (and the tab
    # order of the checkboxes) keep the order of CATEGORIES
    for i, (key, label) in enumerate(CATEGORIES.items()):
        if columns[i // per_column].checkbox(label, value=True, key=f"layer-{key}"):
            shown.append(key)
    return shown


def overview() -> None:
    st.title("Stadtplan & Ansprechpartner")
    st.write(
        "Rathäuser, Bauhöfe, Schulen, Kitas, Bibliotheken, Spielplätze, Ladestationen und mehr "
        "aus allen Gemeinden der Allianz – mit Öffnungszeiten und den Ansprechpartnern im "
        "Rathaus. Jede Ebene der Karte gibt es auch als Liste."
    )
    search_box()
    # Closed at first: open, its 16 layers pushed the map off a phone's first screen (issue
    # 23). The label stays the same, so the box stays open while layers are switched; the
    # choice lives in the widgets' session state and the caption below sums it up.
    with st.expander("Ebenen und Gemeinden", expanded=False, icon=":material/layers:"):
        shown = layer_switch()
        chosen_ags = st.multiselect(
            "Gemeinde", list(names), format_func=names.get, placeholder="alle Gemeinden"
        )
    ags = tuple(chosen_ags) if chosen_ags else None
    layer = overview_map.current(db, tuple(shown), ags)
    levels = count_of(len(shown), "Ebene", "Ebenen")
    summary = f"{count_of(layer.count, 'Ort', 'Orte')} in {levels}"
    if ags:  # the choice is folded away: the caption names the members it narrows to
        summary += " · " + ", ".join(names[a] for a in ags)
    st.caption(summary)
    tab_map, tab_list = st.tabs(["Karte", "Liste"], key="places-tab", on_change="rerun")
    if tab_map.open:
        with tab_map:
            map_tab(layer, shown)
    if tab_list.open:
        with tab_list:
            list_tab(shown, ags)


def map_tab(layer: overview_map.PlacesLayer, shown: list[str]) -> None:
    fmap = maps.areas_map(alliance, municipalities.areas_frame(db))
    overview_map.add(fmap, layer)
    clicked = maps.clicked_properties(maps.show(fmap, key="places-map", height=520))
    if clicked.get("ref"):
        st.page_link(
            PAGE,
            label=f"Ort {plain(str(clicked['ref']))} öffnen",
            query_params={"ort": str(clicked["ref"])},
            icon=":material/open_in_new:",
        )
    # below the map: on a phone the 16 colours take six lines, above they pushed it away
    if not shown:
        st.caption("Keine Ebene gewählt.")
    else:  # the colours of the points; the labels are ours (no user text)
        st.html(
            '<p style="font-size:0.85rem;margin:0">Farben der Punkte: '
            + " ".join(
                '<span style="white-space:nowrap;margin-right:0.8em"><span aria-hidden="true" '
                'style="display:inline-block;width:0.7em;height:0.7em;border-radius:50%;'
                f'background:{CATEGORY_COLORS[k]}"></span> {html.escape(CATEGORIES[k])}</span>'
                for k in shown
            )
            + "</p>"
        )


def list_tab(shown: list[str], ags: tuple[str, ...] | None) -> None:
    if not shown:
        st.info("Keine Ebene gewählt.")
    for key in shown:
        rows = service.places(db, [key], ags, limit=LIST_LIMIT + 1)
        if not rows:
            continue
        st.subheader(f"{CATEGORIES[key]} ({de_int(len(rows[:LIST_LIMIT]))})")
        if len(rows) > LIST_LIMIT:
            st.caption(
                f"Die ersten {de_int(LIST_LIMIT)} Orte; bitte nach Gemeinde oder über die "
                "Suche eingrenzen."
            )
        rows = rows[:LIST_LIMIT]
        table = german_table(
            [
                {
                    "Name": p.name,
                    "Gemeinde": names.get(p.municipality_ags, ""),
                    "Adresse": p.address_text,
                    "Jetzt": hours.status(p.opening_hours, now, alliance.state).text,
                    "Öffnungszeiten": hours.german(p.opening_hours),
                    "Rollstuhl": wheelchair_label(p.wheelchair),
                }
                for p in rows
            ]
        )
        picked = st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            on_select="rerun",
            selection_mode="single-row",
            key=f"places-list-{key}",
        )
        st.caption("Eine Zeile wählen, um den Ort zu öffnen.")
        selected = picked.selection.rows if picked else []
        if selected:
            st.query_params["ort"] = str(rows[selected[0]].id)
            st.rerun()


def back() -> None:
    if st.button("← Zur Karte und Liste"):
        st.query_params.clear()
        st.rerun()


def detail(place) -> None:
    back()
    st.title(plain(place.name))
    st.caption(plain(f"{place.category_label} · {names.get(place.municipality_ags, '')}"))
    state = hours.status(place.opening_hours, now, alliance.state)
    if state.is_open:
        st.success(state.text, icon=":material/schedule:")
    elif state.is_open is False:
        st.warning(state.text, icon=":material/schedule:")
    left, right = st.columns([3, 2])
    with left:
        facts = []
        if place.address_text:
            facts.append(f"**Adresse:** {plain(place.address_text)}")
        if place.phone:
            facts.append(f"**Telefon:** {plain(place.phone)}")
        facts.append(f"**Barrierefreiheit:** {wheelchair_label(place.wheelchair)}")
        st.markdown("  \n".join(facts))
        if place.web:
            st.link_button("Webseite öffnen", place.web, icon=":material/language:")
        if place.opening_hours:
            st.markdown("**Öffnungszeiten der nächsten sieben Tage**")
            week = hours.week(place.opening_hours, date.today(), alliance.state)
            st.table(german_table([{"Tag": day, "Geöffnet": text} for day, text in week]))
            st.caption(plain(f"Regel: {hours.german(place.opening_hours)}"))
        if place.note:
            user_text(place.note)
    with right:
        if place.has_photo:
            st.image(service.photo(db, place.id), width="stretch", caption=place.name)
        fmap = maps.base_map(
            alliance, (place.lon - 0.004, place.lat - 0.003, place.lon + 0.004, place.lat + 0.003)
        )
        maps.add_points(
            fmap, [maps.MapPoint(place.lat, place.lon, place.name)], layer_name=place.name,
            color=CATEGORY_COLORS.get(place.category, "#1d3557"),
        )  # fmt: skip
        maps.show(fmap, key=f"place-map-{place.id}", height=280, returned_objects=())
    people = service.public_contacts(db, place_id=place.id)
    if not people and place.category == "rathaus":
        people = service.public_contacts(db, ags=[place.municipality_ags])
    if people:
        st.subheader("Ansprechpartner")
        for contact in people:
            contact_card(db, alliance, contact, names, "place")


if chosen:
    try:
        found = service.get_place(db, chosen)
    except NotFound as exc:
        st.title("Stadtplan & Ansprechpartner")
        st.error(plain(exc.errors[0]))
        back()
    else:
        detail(found)
else:
    overview()
