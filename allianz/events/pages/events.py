"""Veranstaltungen: the coming dates of the members', clubs' and alliance's events with the
public meetings, filtered by municipality and category, page by page; an event's detail with
its dates, place on the map and schema.org JSON-LD; the calendar feed to subscribe to."""

import streamlit as st

from allianz import clock, jsonld, maps, web_session
from allianz.errors import DomainError
from allianz.events import presentation, service
from allianz.events.model import State
from allianz.formatting import de_int
from allianz.ui import plain

PAGE = "allianz/events/pages/events.py"
SUBMIT = "allianz/events/pages/event_submit.py"
FEED = "/feeds/veranstaltungen.ics"
user, alliance, db = web_session.open_page("page.events")
chosen = web_session.detail_key(service.DETAIL_KEY)
now = clock.now()
names = {m.ags: m.name for m in alliance.municipalities}
labels = service.categories(alliance)


def subscribe(municipality: str | None, category: str | None) -> None:
    with st.expander("Veranstaltungen im Kalender abonnieren"):
        st.markdown(
            "Mit einem Kalender-Abo erscheinen die Veranstaltungen in Ihrem Kalender (Outlook, "
            "Google Kalender, Apple Kalender, Thunderbird) und bleiben aktuell. Kopieren Sie die "
            "Adresse und fügen Sie sie unter „Kalender abonnieren“ bzw. „Aus dem Internet "
            "hinzufügen“ ein. Öffnen Sie die Datei nicht zum Herunterladen: dann wird sie nur "
            "einmal eingelesen und nicht aktualisiert. Die Adresse enthält Ihre Filter."
        )
        query = "&".join(
            f"{k}={v}" for k, v in (("gemeinde", municipality), ("kategorie", category)) if v
        )
        st.code(web_session.base_url() + FEED + (f"?{query}" if query else ""), language=None)
        st.caption(
            plain(
                "Filter in der Adresse: gemeinde=Gemeindeschlüssel, kategorie="
                + ", ".join(f"{code} ({label})" for code, label in labels.items())
            )
        )


def overview() -> None:
    st.title("Veranstaltungen")
    st.write(
        "Was los ist in den Gemeinden der Allianz: Veranstaltungen der Gemeinden, Vereine und "
        "der Allianz, dazu die öffentlichen Sitzungen."
    )
    st.page_link(SUBMIT, label="Ihr Verein plant etwas? Veranstaltung melden",
                 icon=":material/event_available:")  # fmt: skip
    # the filters live in the address too: a filtered list can be shared and survives a reload
    for key, param, known in (("events-municipality", "gemeinde", names),
                              ("events-category", "kategorie", labels)):  # fmt: skip
        if key not in st.session_state:
            value = st.query_params.get(param)
            st.session_state[key] = value if value in known else None
    c1, c2 = st.columns(2)
    municipality = c1.selectbox(
        "Gemeinde",
        list(names),
        format_func=names.get,
        index=None,
        placeholder="Alle Gemeinden",
        key="events-municipality",
    )
    category = c2.selectbox(
        "Kategorie",
        list(labels),
        format_func=labels.get,
        index=None,
        placeholder="Alle Kategorien",
        key="events-category",
    )
    for param, value in (("gemeinde", municipality), ("kategorie", category)):
        if value:
            st.query_params[param] = value
        else:
            st.query_params.pop(param, None)
    filters = (municipality, category)
    if st.session_state.get("events-filters") != filters:
        st.session_state["events-filters"] = filters
        st.session_state["events-page"] = 1
    number = st.session_state.get("events-page", 1)
    try:
        page = service.coming(db, alliance, now, municipality=municipality, category=category,
                              page=number)  # fmt: skip
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    st.caption(f"{presentation.count_line(page.total)} · Seite {de_int(page.page)} von "
               f"{de_int(page.pages)}")  # fmt: skip
    if not page.items:
        st.info("Zurzeit sind keine Veranstaltungen angekündigt.")
    presentation.occurrence_links(page.items, names)
    if page.pages > 1:
        b1, b2, _ = st.columns([1, 1, 4])
        if b1.button("← Zurück", disabled=page.page <= 1, key="events-prev"):
            st.session_state["events-page"] = page.page - 1
            st.rerun()
        if b2.button("Weiter →", disabled=page.page >= page.pages, key="events-next"):
            st.session_state["events-page"] = page.page + 1
            st.rerun()
    subscribe(municipality, category)


def detail(event) -> None:
    if st.button("← Alle Veranstaltungen"):
        st.query_params.clear()
        st.rerun()
    cancelled = event.state is State.CANCELLED
    st.title(plain(f"Abgesagt: {event.title}" if cancelled else event.title))
    if cancelled:
        st.warning(plain("Diese Veranstaltung ist abgesagt. " + event.cancel_reason))
    presentation.facts_table(presentation.facts(event, names, labels))
    presentation.description(event)
    if event.lat is not None and event.lon is not None:
        around = (event.lon - 0.01, event.lat - 0.006, event.lon + 0.01, event.lat + 0.006)
        fmap = maps.base_map(alliance, around)
        maps.add_points(fmap, [maps.MapPoint(event.lat, event.lon, event.venue or event.title)],
                        layer_name="Veranstaltungsort")  # fmt: skip
        maps.show(fmap, key=f"event-map-{event.id}", height=260, returned_objects=())
    spans = service.coming_dates(db, event.id, now)
    if event.rrule and spans:
        st.subheader("Die nächsten Termine")
        for start, end in spans[:12]:
            st.markdown(plain(service.when(start, end, event.all_day)))
        if len(spans) > 12:
            st.caption(f"… und {de_int(len(spans) - 12)} weitere Termine.")
    url = web_session.base_url() + service.detail_path(event.id)
    jsonld.embed(service.jsonld(event, alliance, url, spans[0] if spans else None))
    subscribe(event.municipality_ags, None)


if chosen:
    found = service.event_at(db, chosen)
    if found is None:
        st.title("Veranstaltungen")
        st.error(
            f"Eine veröffentlichte Veranstaltung mit der Nummer {plain(chosen)} gibt es nicht."
        )
    else:
        detail(found)
else:
    overview()
