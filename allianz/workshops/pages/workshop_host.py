"""Tisch moderieren: a table host enters cards live, transcribes the dot vote, runs the
shared voting device and uploads photos of the paper boards."""

import streamlit as st

from allianz import geo, maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_date
from allianz.maps import Field
from allianz.municipalities import service as municipalities
from allianz.ui import plain
from allianz.workshops import service
from allianz.workshops.model import CARD_MAX, PHASE_LABELS, Phase
from allianz.workshops.widgets import dot_inputs

user, alliance, db = web_session.open_page("page.workshop_host")
state = st.session_state

st.title("Tisch moderieren")
running = service.hosted_by(db, user)
if not running:
    st.info(
        "Gerade läuft keine Werkstatt, die Sie moderieren können. Die Verwaltung startet sie "
        "unter „Werkstätten planen“."
    )
    st.stop()

by_id = {w.id: w for w in running}
left, right = st.columns(2)
workshop_id = left.selectbox(
    "Werkstatt",
    list(by_id),
    format_func=lambda i: (
        f"{by_id[i].title} ({de_date(by_id[i].date)}, {PHASE_LABELS[by_id[i].phase]})"
    ),
    placeholder="Werkstatt wählen",
    key="host_workshop",
)
workshop = by_id[workshop_id]
topics = {t.id: f"Tisch {t.position}: {t.topic}" for t in workshop.tables}
table_id = right.selectbox(
    "Thementisch",
    list(topics),
    format_func=topics.get,
    placeholder="Tisch wählen",
    key="host_table",
)
names = {m.ags: m.name for m in alliance.municipalities}
places = [None] + [(m.ags, None) for m in alliance.municipalities]
places += [(m.ags, o) for m in alliance.municipalities for o in m.ortsteile if o != m.name]


def _place_label(place) -> str:
    if place is None:
        return "–"
    ags, ortsteil = place
    return f"{names[ags]} – {ortsteil}" if ortsteil else names[ags]


# Only the open tab is built (a rerun on switching), so each run reads the cards once; the
# voting device has an input per card.
entry, dots_tab, device_tab, photo_tab = st.tabs(
    ["Karten erfassen", "Punkte eintragen", "Abstimmungsgerät", "Fotos der Stellwand"],
    key="host-tab",
    on_change="rerun",
)

if entry.open:
    with entry:
        if workshop.phase is not Phase.LIVE:
            st.info("Die Werkstatt ist in der Online-Phase: Karten vor Ort sind abgeschlossen.")
        else:
            with st.form("card", clear_on_submit=True):
                text = st.text_area(
                    "Karte", max_chars=CARD_MAX, height=90, placeholder="Text der Karte"
                )
                c1, c2, c3 = st.columns([1, 2, 2])
                round_no = c1.selectbox(
                    "Runde", list(range(1, workshop.rounds + 1)), placeholder="Runde wählen"
                )
                tags = c2.text_input(
                    "Schlagworte (durch Komma getrennt)", placeholder="z. B. Radweg, Schule"
                )
                place = c3.selectbox(
                    "Ort der Idee (optional)",
                    places,
                    format_func=_place_label,
                    placeholder="Ort wählen",
                )
                coords = st.text_input(
                    "Kartenpunkt (optional, Breite, Länge)",
                    value=state.get("host_point", ""),
                    placeholder="51.2778, 12.5883",
                )
                saved = st.form_submit_button("Karte speichern", type="primary")
            if saved:
                lat = lon = None
                try:
                    if coords.strip():
                        lat, lon = geo.parse_coordinates(coords)
                    service.add_card(
                        db,
                        alliance,
                        municipalities.areas(db),
                        user,
                        workshop.id,
                        service.CardDraft(
                            table_id,
                            text,
                            round_no,
                            tags,
                            place[0] if place else None,
                            place[1] if place else None,
                            lat,
                            lon,
                        ),
                        token=web_session.form_token(
                            "card", workshop.id, table_id, text, round_no, tags, place, lat, lon
                        ),
                    )
                except ValueError as exc:
                    errors = exc.errors if isinstance(exc, DomainError) else [str(exc)]
                    st.error("Nicht gespeichert: " + " ".join(errors))
                else:
                    state.pop("host_point", None)
                    state["host_saved"] = state.get("host_saved", 0) + 1
                    st.success("Karte gespeichert – die nächste bitte.")
            # Put the cursor back into the card field, so the host can type the next card at once.
            st.html(
                "<script>setTimeout(() => {const f = window.parent.document.querySelector("
                "'textarea[aria-label=\"Karte\"]') || document.querySelector("
                "'textarea[aria-label=\"Karte\"]'); if (f) f.focus();}, 150);"
                f"/* {state.get('host_saved', 0)} */</script>",
                unsafe_allow_javascript=True,
            )
            with st.expander("Kartenpunkt auf der Karte wählen"):
                areas_frame = municipalities.areas_frame(db)
                fmap = maps.base_map(alliance, areas_frame.total_bounds)
                maps.add_areas(
                    fmap, areas_frame, layer_name="Gemeinden", tooltip=[Field("name", "Gemeinde")]
                )
                clicked = maps.show(
                    fmap, key="host-map", height=320, returned_objects=["last_clicked"]
                ).get("last_clicked")
                if clicked and clicked != state.get("host_last_click"):
                    state["host_last_click"] = clicked
                    state["host_point"] = f"{clicked['lat']:.6f}, {clicked['lng']:.6f}"
                    st.rerun()
                if state.get("host_point"):
                    st.caption(
                        f"Gewählt: {state['host_point']} (wird mit der nächsten Karte gespeichert)"
                    )

        cards = [
            c for c in service.cards(db, workshop.id, include_hidden=True) if c.table_id == table_id
        ]
        st.markdown(f"**Karten an diesem Tisch: {len(cards)}** (neueste zuerst)")
        for card in reversed(cards[-30:]):
            note = " · ausgeblendet" if card.hidden else ""
            with st.container(border=True):
                st.markdown(plain(card.text))
                dots = count_of(card.dots, "Punkt", "Punkte")
                st.caption(f"Runde {card.round or '–'} · {dots}{note}")

if dots_tab.open:
    with dots_tab:
        st.write("Nach der Punktabfrage: die Klebepunkte je Karte übertragen.")
        cards = [c for c in service.cards(db, workshop.id) if c.table_id == table_id]
        if not cards:
            st.write("Noch keine Karten an diesem Tisch.")
        else:
            edited = st.data_editor(
                [{"Nr.": c.id, "Karte": c.text, "Punkte (Stellwand)": c.host_dots} for c in cards],
                column_config={
                    "Nr.": st.column_config.NumberColumn(disabled=True),
                    "Karte": st.column_config.TextColumn(disabled=True, width="large"),
                    "Punkte (Stellwand)": st.column_config.NumberColumn(
                        min_value=0, max_value=10_000, step=1, required=True
                    ),
                },
                placeholder="",  # empty cells stay empty (Streamlit writes "None")
                hide_index=True,
                width="stretch",
                key=f"dots-{workshop.id}-{table_id}",
            )
            if st.button("Punkte speichern", type="primary"):
                try:
                    changed = service.set_host_dots(
                        db,
                        user,
                        workshop.id,
                        {int(row["Nr."]): int(row["Punkte (Stellwand)"] or 0) for row in edited},
                    )
                except DomainError as exc:
                    st.error(" ".join(exc.errors))
                else:
                    st.success(
                        f"Punkte gespeichert ({count_of(changed, 'Karte', 'Karten')} geändert)."
                    )

if device_tab.open:
    with device_tab:
        st.write(
            f"Jede Person vergibt am Gerät bis zu {workshop.dots_per_person} Punkte, auch mehrere "
            "auf eine Karte. Nach dem Abgeben ist das Formular für die nächste Person leer."
        )
        if workshop.phase is not Phase.LIVE:
            st.info("Das Abstimmungsgerät ist nur während der Werkstatt geöffnet.")
        else:
            cards = service.cards(db, workshop.id)
            with st.form("ballot", clear_on_submit=True):
                given = dot_inputs(workshop, cards, "ballot")
                if st.form_submit_button("Stimmen abgeben", type="primary"):
                    try:
                        service.cast_ballot(db, user, workshop.id, given)
                    except DomainError as exc:
                        st.error(" ".join(exc.errors))
                    else:
                        st.success("Stimmen gezählt. Bitte das Gerät weitergeben.")

if photo_tab.open:
    with photo_tab:
        with st.form("photo", clear_on_submit=True):
            upload = st.file_uploader(
                "Foto der Stellwand (JPEG oder PNG, höchstens 5 MB)", type=["jpg", "jpeg", "png"]
            )
            caption = st.text_input(
                "Beschreibung", max_chars=200, placeholder="z. B. Tisch 2, Runde 1"
            )
            if st.form_submit_button("Foto hochladen") and upload is not None:
                try:
                    service.add_photo(db, user, workshop.id, table_id, caption, upload.getvalue())
                except DomainError as exc:
                    st.error(str(exc))
                else:
                    st.success("Foto gespeichert; es erscheint im Protokoll.")
        shown = [p for p in service.photos(db, workshop.id) if p["table_id"] == table_id]
        for photo in shown:
            st.image(photo["image"], caption=plain(photo["caption"]) or None, width=360)
