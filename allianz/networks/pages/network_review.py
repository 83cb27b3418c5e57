"""Befahrung & Bewertung: review segments one by one, keep their history, accept findings."""

import numpy as np
import streamlit as st
from shapely.geometry import shape

from allianz import geo, maps, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_float, de_int
from allianz.municipalities import service as municipalities
from allianz.networks import presentation, service, snapshot
from allianz.networks.model import (
    CONDITIONS,
    DEFECTS,
    DEFECTS_ALONG,
    FACILITIES,
    NETWORK_LABELS,
    PRIORITIES,
    RESPONSIBLE,
    STATUS_LABELS,
    SURFACES,
    SegmentStatus,
)
from allianz.ui import plain, user_text

user, alliance, db = web_session.open_page("page.network_review")
areas = municipalities.areas(db)
network = snapshot.current(db, areas)
segments = network.prepared.segments
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
if tour:
    names = {a.ags: a.name for a in areas}
    default = list(names).index(user.municipality_ags) if user.municipality_ags in names else 0
    ags = st.selectbox(
        "Gemeinde", list(names), index=default, format_func=names.get, placeholder="Bitte wählen"
    )
    todo, touching = service.unreviewed_in(network.prepared, ags)
    done = touching - len(todo)
    st.progress(
        done / touching if touching else 1.0,
        text=f"{de_int(done)} von {count_of(touching, 'Abschnitt', 'Abschnitten')} in "
        f"{names[ags]} geprüft",
    )
    if not todo:
        st.success(f"Alle Abschnitte in {names[ags]} sind geprüft.")
        st.stop()
    segment = todo[0]
else:
    wanted = web_session.detail_key("segment")
    left, right = st.columns([1, 2])
    query = left.text_input(
        "Abschnitt suchen (Nr. oder Name)", placeholder="z. B. 12 oder Muldentalradweg"
    )
    everything = np.ones(len(segments), bool)
    labels = presentation.matching(network.prepared.data, everything, query)
    if wanted and wanted.isdigit() and not query:
        found = service.get(db, int(wanted))
        if found is not None:
            labels = {found.id: f"{found.id}: {found.name}", **labels}
    if not labels:
        st.warning("Kein Abschnitt passt zur Suche.")
        st.stop()
    segment_id = right.selectbox(
        "Abschnitt",
        list(labels),
        format_func=labels.get,
        help="höchstens 50 Treffer",
        placeholder="Bitte wählen",
    )
    segment = service.get(db, segment_id)
    st.query_params["segment"] = str(segment.id)  # the address names what the form acts on

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

reviewable = service.may_review(user, segment)  # the service checks again on saving
if not reviewable:
    st.info(
        "Dieser Abschnitt führt nicht durch Ihre Gemeinde. Bewerten können ihn die Verwaltungen "
        "der Gemeinden, durch die er führt, der Arbeitskreis und das Allianzmanagement."
    )
with st.form(f"review-{segment.id}", clear_on_submit=True):
    cols = st.columns(3)
    condition = cols[0].selectbox(
        "Zustand",
        [None, *CONDITIONS],
        format_func=lambda c: "unbekannt" if c is None else CONDITIONS[c],
        placeholder="Bitte wählen",
    )
    surface = cols[1].selectbox(
        "Oberfläche",
        [None, *SURFACES],
        format_func=lambda k: "keine Angabe" if k is None else SURFACES[k],
        placeholder="Bitte wählen",
    )
    width = cols[2].text_input("nutzbare Breite (m)", placeholder="z. B. 2,5")
    defects = st.multiselect(
        "Mängel",
        list(DEFECTS),
        format_func=lambda k: ("entlang: " if k in DEFECTS_ALONG else "punktuell: ") + DEFECTS[k],
        placeholder="keine",
    )
    default_point = f"{point[0]}, {point[1]}" if point else ""
    point_text = st.text_input(
        "Mängelpunkt (Breite, Länge), optional",
        value=default_point,
        placeholder="51.2778, 12.5883",
    )
    cols = st.columns(2)
    gap = cols[0].checkbox("Lücke im Netz (fehlende Verbindung)", value=segment.gap)
    priority = cols[1].selectbox(
        "vorgeschlagene Priorität",
        [None, *PRIORITIES],
        format_func=lambda p: "keine" if p is None else p,
        placeholder="Bitte wählen",
    )
    comment = st.text_area("Kommentar", max_chars=service.COMMENT_MAX, placeholder="optional")
    photo = st.file_uploader("Foto (optional)", type=["jpg", "jpeg", "png"])
    submitted = st.form_submit_button(
        "Bewertung speichern", type="primary", disabled=not reviewable
    )

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

maintains = service.may_maintain(user, segment)  # the service checks again on saving
if maintains:
    with st.expander("Amtliche Attribute bearbeiten (Verwaltung)"), st.form(f"edit-{segment.id}"):
        name = st.text_input("Name", value=segment.name, max_chars=200)
        cols = st.columns(2)
        in_rad = cols[0].checkbox("Radwegenetz", value=segment.in_rad)
        in_kern = cols[1].checkbox("Kernwegenetz", value=segment.in_kern)
        cols = st.columns(3)
        status = cols[0].selectbox(
            "Status",
            [s.value for s in SegmentStatus],
            index=list(SegmentStatus).index(segment.status),
            format_func=lambda v: STATUS_LABELS[SegmentStatus(v)],
            placeholder="Bitte wählen",
        )
        new_priority = cols[1].selectbox(
            "Priorität",
            [None, *PRIORITIES],
            index=[None, *PRIORITIES].index(segment.priority),
            key=f"edit-priority-{segment.id}",
            format_func=lambda p: "keine" if p is None else p,
            placeholder="Bitte wählen",
        )
        new_surface = cols[2].selectbox(
            "Oberfläche",
            [None, *SURFACES],
            index=[None, *SURFACES].index(segment.surface),
            key=f"edit-surface-{segment.id}",
            format_func=lambda k: "keine Angabe" if k is None else SURFACES[k],
            placeholder="Bitte wählen",
        )
        cols = st.columns(3)
        facility = cols[0].selectbox(
            "Art der Anlage",
            [None, *FACILITIES],
            index=[None, *FACILITIES].index(segment.facility),
            format_func=lambda k: "keine Angabe" if k is None else FACILITIES[k],
            placeholder="Bitte wählen",
        )
        responsible = cols[1].selectbox(
            "Baulastträger",
            [None, *RESPONSIBLE],
            index=[None, *RESPONSIBLE].index(segment.responsible)
            if segment.responsible in RESPONSIBLE
            else 0,
            format_func=lambda k: "keine Angabe" if k is None else RESPONSIBLE[k],
            placeholder="Bitte wählen",
        )
        new_width = cols[2].text_input(
            "Breite (m)",
            value="" if segment.width_m is None else de_float(segment.width_m),
            placeholder="z. B. 2,5",
        )
        cols = st.columns(3)
        tri = {None: "unbekannt", True: "ja", False: "nein"}
        lighting = cols[0].selectbox(
            "Beleuchtung",
            list(tri),
            format_func=tri.get,
            index=list(tri).index(segment.lighting),
            placeholder="Bitte wählen",
        )
        signage = cols[1].selectbox(
            "Beschilderung",
            list(tri),
            format_func=tri.get,
            index=list(tri).index(segment.signage),
            placeholder="Bitte wählen",
        )
        new_gap = cols[2].checkbox("Lücke", value=segment.gap, key=f"edit-gap-{segment.id}")
        low, high = service.kernweg_cost_estimate(segment)
        cost = st.text_input(
            "Kostenschätzung (€)",
            value="" if segment.cost_eur is None else f"{segment.cost_eur:.0f}",
            placeholder="z. B. 250000",
            help=f"Faustwert Kernweg: {de_float(low / 1000, 0)}–{de_float(high / 1000, 0)} T€",
        )
        if st.form_submit_button("Attribute speichern"):
            try:
                service.edit_segment(
                    db,
                    user,
                    segment.id,
                    service.SegmentEdit(
                        name=name,
                        in_rad=in_rad,
                        in_kern=in_kern,
                        status=status,
                        priority=new_priority,
                        surface=new_surface,
                        width_m=new_width or None,
                        lighting=lighting,
                        signage=signage,
                        facility=facility,
                        responsible=responsible,
                        gap=new_gap,
                        cost_eur=cost or None,
                    ),
                )
            except DomainError as exc:
                for message in exc.errors:
                    st.error(message)
            else:
                state["review_flash"] = "Attribute gespeichert."
                st.rerun()

st.subheader("Bisherige Bewertungen")
history = service.reviews(db, segment.id)
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
            st.image(service.review_photo(db, review.id), width=320)
        if review.accepted_at:
            st.caption(f"übernommen am {review.accepted_at[:10]} von {review.accepted_by}")
        elif maintains and review.reviewer == user.username:
            st.caption("Ihre eigene Bewertung übernimmt eine andere Person (Vier-Augen-Prinzip).")
        elif maintains and st.button(
            "In die amtlichen Attribute übernehmen", key=f"accept-{review.id}"
        ):
            try:
                service.accept_review(db, user, review.id)
            except DomainError as exc:
                st.error(str(exc))
            else:
                state["review_flash"] = "Bewertung übernommen."
                st.rerun()
