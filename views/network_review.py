"""Befahrung & Bewertung: review segments one by one, keep their history, accept findings."""

import streamlit as st
from shapely.geometry import shape

from allianz import auth, geo, maps, web_session
from allianz.formatting import de_float
from allianz.municipalities import service as municipalities
from allianz.networks import service, store
from allianz.networks.model import (
    CONDITIONS,
    DEFECTS,
    DEFECTS_ALONG,
    NETWORK_LABELS,
    PRIORITIES,
    STATUS_LABELS,
    SURFACES,
)
from allianz.ui import plain, user_text

user = web_session.current_user()
web_session.require(user, "page.network_review")
alliance = web_session.alliance()
db = web_session.db()
areas = municipalities.areas(db)
segments = store.all_segments(db)
state = st.session_state

st.title("Befahrung & Bewertung")
flash = state.pop("review_flash", None)
if flash:
    st.success(flash)
if not segments:
    st.info("Noch keine Abschnitte. Importieren Sie ein Netz unter „Netz importieren“.")
    st.stop()

tour = st.toggle(
    "Befahrung: ungeprüfte Abschnitte einer Gemeinde nacheinander",
    value=state.get("review_tour", False),
    key="review_tour",
)
by_id = {s.id: s for s in segments}
if tour:
    names = {a.ags: a.name for a in areas}
    default = list(names).index(user.municipality_ags) if user.municipality_ags in names else 0
    ags = st.selectbox("Gemeinde", list(names), index=default, format_func=names.get)
    todo = service.unreviewed_in(segments, areas, ags)
    touching = [
        s
        for s in segments
        if shape(s.geometry).intersects(next(a.geometry for a in areas if a.ags == ags))
    ]
    done = len(touching) - len(todo)
    st.progress(
        done / len(touching) if touching else 1.0,
        text=f"{done} von {len(touching)} Abschnitten in {names[ags]} geprüft",
    )
    if not todo:
        st.success(f"Alle Abschnitte in {names[ags]} sind geprüft.")
        st.stop()
    segment = todo[0]
else:
    wanted = st.query_params.get("segment")
    ids = list(by_id)
    index = ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in by_id else 0
    segment_id = st.selectbox(
        "Abschnitt", ids, index=index, format_func=lambda i: f"{i}: {by_id[i].name}"
    )
    segment = by_id[segment_id]

st.subheader(plain(f"Abschnitt {segment.id}: {segment.name}"))
st.caption(
    plain(
        f"{', '.join(NETWORK_LABELS[n] for n in segment.networks)} · "
        f"{de_float(segment.length_m / 1000, 2)} km · {STATUS_LABELS[segment.status]} · "
        f"Zustand {CONDITIONS.get(segment.shown_condition, 'unbekannt')}"
    )
)

line = shape(segment.geometry)
fmap = maps.base_map(alliance, line.buffer(0.002).bounds)
maps.add_lines(
    fmap,
    service.frame([segment]),
    layer_name="Abschnitt",
    tooltip=[maps.Field("name", "Abschnitt")],
    color="#d62828",
)
point = state.get("defect_point")
if point:
    maps.add_points(fmap, [maps.MapPoint(point[0], point[1], "Mangel")], layer_name="Mangel")
result = maps.show(
    fmap, key=f"review-map-{segment.id}", height=340, returned_objects=["last_clicked"]
)
clicked = result.get("last_clicked")
if clicked and clicked != state.get("review_last_click"):
    state["review_last_click"] = clicked
    state["defect_point"] = (round(clicked["lat"], 6), round(clicked["lng"], 6))
    st.rerun()
st.caption("Ein Klick auf die Karte setzt einen Mängelpunkt (optional).")

with st.form(f"review-{segment.id}", clear_on_submit=True):
    cols = st.columns(3)
    condition = cols[0].selectbox(
        "Zustand",
        [None, *CONDITIONS],
        format_func=lambda c: "unbekannt" if c is None else CONDITIONS[c],
    )
    surface = cols[1].selectbox(
        "Oberfläche",
        [None, *SURFACES],
        format_func=lambda k: "keine Angabe" if k is None else SURFACES[k],
    )
    width = cols[2].text_input("nutzbare Breite (m)", placeholder="z. B. 2,5")
    defects = st.multiselect(
        "Mängel",
        list(DEFECTS),
        format_func=lambda k: ("entlang: " if k in DEFECTS_ALONG else "punktuell: ") + DEFECTS[k],
        placeholder="keine",
    )
    default_point = f"{point[0]}, {point[1]}" if point else ""
    point_text = st.text_input("Mängelpunkt (Breite, Länge), optional", value=default_point)
    cols = st.columns(2)
    gap = cols[0].checkbox("Lücke im Netz (fehlende Verbindung)", value=segment.gap)
    priority = cols[1].selectbox(
        "vorgeschlagene Priorität",
        [None, *PRIORITIES],
        format_func=lambda p: "keine" if p is None else p,
    )
    comment = st.text_area("Kommentar", max_chars=service.COMMENT_MAX)
    photo = st.file_uploader("Foto (optional)", type=["jpg", "jpeg", "png"])
    submitted = st.form_submit_button("Bewertung speichern", type="primary")

if submitted:
    try:
        defect_point = geo.parse_coordinates(point_text) if point_text.strip() else None
        service.record_review(
            db,
            user,
            segment.id,
            service.ReviewInput(
                condition=condition,
                surface=surface,
                width_m=width or None,
                defects=tuple(defects),
                defect_point=defect_point,
                gap=gap,
                suggested_priority=priority,
                comment=comment,
                photo=photo.getvalue() if photo is not None else None,
            ),
        )
    except ValueError as exc:  # NetworkError and coordinate errors
        for message in getattr(exc, "errors", [str(exc)]):
            st.error(message)
    else:
        state.pop("defect_point", None)
        state["review_flash"] = f"Bewertung für Abschnitt {segment.id} gespeichert."
        st.rerun()

st.subheader("Bisherige Bewertungen")
history = store.reviews(db, segment.id)
if not history:
    st.write("Noch keine.")
for review in history:
    with st.container(border=True):
        st.markdown(
            plain(
                f"{review.at[:16].replace('T', ' ')} · {review.reviewer} · Zustand "
                f"{CONDITIONS.get(review.condition, 'unbekannt')}"
                + (f" · Breite {de_float(review.width_m)} m" if review.width_m else "")
                + (" · Lücke" if review.gap else "")
                + (f" · Priorität {review.suggested_priority}" if review.suggested_priority else "")
            )
        )
        if review.defects:
            st.caption("Mängel: " + ", ".join(DEFECTS[d] for d in review.defects))
        if review.comment:
            user_text(review.comment)
        if review.has_photo:
            st.image(store.review_photo(db, review.id), width=320)
        if review.accepted_at:
            st.caption(f"übernommen am {review.accepted_at[:10]} von {review.accepted_by}")
        elif auth.can(user.role, "networks.accept") and st.button(
            "In die amtlichen Attribute übernehmen", key=f"accept-{review.id}"
        ):
            try:
                service.accept_review(db, user, review.id)
            except service.NetworkError as exc:
                st.error(str(exc))
            else:
                state["review_flash"] = "Bewertung übernommen."
                st.rerun()
