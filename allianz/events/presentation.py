"""What the events' pages share: the event form (a club's submission and the staff's entry
use the same fields), the map point picker (a click on the map or coordinates typed), the
list of coming dates and an event's facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from allianz import geo, maps, rich_text
from allianz.config import Alliance
from allianz.events import recurrence, service
from allianz.events.model import (
    ACCESSIBILITY_MAX,
    DESCRIPTION_MAX,
    END_KINDS,
    FREQUENCIES,
    LOCATION_MAX,
    ORGANISER_MAX,
    PRICE_MAX,
    TITLE_MAX,
    VENUE_MAX,
    WEEKDAYS,
    Event,
    Occurrence,
)
from allianz.formatting import de_int
from allianz.ui import plain

EVENTS_PAGE = "allianz/events/pages/events.py"
MEETINGS_PAGE = "allianz/meetings/pages/meetings.py"


def point_picker(alliance: Alliance, key: str) -> None:
    """A map whose click puts the point into the form's coordinates field `key` (the field
    can be typed too: no mouse needed)."""
    typed = st.session_state.get(key, "")
    fmap = maps.base_map(alliance)
    try:
        lat, lon = geo.parse_coordinates(typed) if typed else (None, None)
    except ValueError:
        lat = lon = None
    if lat is not None and lon is not None:
        maps.add_points(fmap, [maps.MapPoint(lat, lon, "Veranstaltungsort")],
                        layer_name="Ort", color="#c1121f")  # fmt: skip
    st.caption(
        "Klicken Sie auf die Karte, um den Kartenpunkt zu setzen – oder tragen Sie ihn im "
        "Formular als „Breite, Länge“ ein."
    )
    result = maps.show(fmap, key=f"{key}-map", height=320, returned_objects=["last_clicked"])
    clicked = result.get("last_clicked")
    if clicked and clicked != st.session_state.get(f"{key}-last"):
        st.session_state[f"{key}-last"] = clicked
        st.session_state[key] = f"{clicked['lat']:.6f}, {clicked['lng']:.6f}"
        st.rerun()


def _day_text(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def event_fields(
    alliance: Alliance,
    key: str,
    municipalities: dict[str, str],
    start: service.EventDraft | None = None,
    alliance_wide: bool = False,
) -> Callable[[], service.EventDraft]:
    """The event's fields inside a form; returns a function that makes the draft from what
    was typed (call it after the submit button)."""
    labels = service.categories(alliance)
    first = start or service.EventDraft("", "", None, "")
    title = st.text_input("Titel", first.title, max_chars=TITLE_MAX, key=f"{key}-title")
    c1, c2 = st.columns(2)
    category = c1.selectbox(
        "Kategorie",
        list(labels),
        format_func=labels.get,
        index=list(labels).index(first.category) if first.category in labels else None,
        placeholder="Kategorie wählen",
        key=f"{key}-category",
    )
    places = ([""] if alliance_wide else []) + list(municipalities)
    ags = c2.selectbox(
        "Gemeinde, in der die Veranstaltung stattfindet",
        places,
        format_func=lambda a: municipalities.get(a, "ganze Allianz"),
        index=places.index(first.municipality_ags or "")
        if (first.municipality_ags or "") in places
        else None,
        placeholder="Gemeinde wählen",
        key=f"{key}-ags",
    )
    d1, d2, d3, d4 = st.columns(4)
    day = d1.text_input("Datum (TT.MM.JJJJ)", _text(first.day), key=f"{key}-day")
    begin = d2.text_input("Beginn (SS:MM)", _text(first.start_time), key=f"{key}-begin")
    end = d3.text_input("Ende (SS:MM)", _text(first.end_time), key=f"{key}-end")
    end_day = d4.text_input(
        "Enddatum, falls später", _text(first.end_day), key=f"{key}-end-day",
        help="Nur wenn die Veranstaltung über mehrere Tage geht.",
    )  # fmt: skip
    all_day = st.checkbox("ganztägig (ohne Uhrzeit)", first.all_day, key=f"{key}-all-day")
    rec = first.recurrence
    with st.container(border=True):
        st.markdown("**Wiederholung**")
        r1, r2 = st.columns(2)
        frequency = r1.selectbox(
            "Wie oft?",
            list(FREQUENCIES),
            format_func=FREQUENCIES.get,
            index=list(FREQUENCIES).index(rec.frequency) if rec.frequency in FREQUENCIES else 0,
            placeholder="Bitte wählen",
            key=f"{key}-frequency",
        )
        interval = r2.number_input(
            "Abstand (1 = jede Woche/jeden Monat, 2 = jede zweite …)",
            min_value=1, max_value=recurrence.INTERVAL_MAX, value=int(rec.interval or 1),
            key=f"{key}-interval",
        )  # fmt: skip
        weekdays = st.multiselect(
            "Wochentage (bei „wöchentlich“)",
            list(range(7)),
            default=list(rec.weekdays),
            format_func=lambda d: WEEKDAYS[d],
            placeholder="Wochentage wählen",
            key=f"{key}-weekdays",
        )
        e1, e2, e3 = st.columns(3)
        end_kind = e1.selectbox(
            "Die Reihe endet",
            list(END_KINDS),
            format_func=END_KINDS.get,
            index=list(END_KINDS).index(rec.end_kind) if rec.end_kind in END_KINDS else 0,
            placeholder="Bitte wählen",
            key=f"{key}-end-kind",
        )
        count = e2.number_input(
            "nach so vielen Terminen", min_value=2, max_value=500,
            value=max(2, int(rec.count or 10)), key=f"{key}-count",
        )  # fmt: skip
        until = e3.text_input("am Datum (TT.MM.JJJJ)", _text(rec.until), key=f"{key}-until")
        exceptions = st.text_input(
            "Ausnahmen: Termine, die ausfallen (TT.MM.JJJJ, mit Komma getrennt)",
            first.exceptions,
            key=f"{key}-exceptions",
        )
    description = st.text_area(
        "Beschreibung (Markdown: **fett**, _kursiv_, Listen, Links)",
        first.description,
        max_chars=DESCRIPTION_MAX,
        key=f"{key}-description",
    )
    p1, p2 = st.columns(2)
    venue = p1.text_input("Veranstaltungsort (z. B. Bürgerhaus)", first.venue,
                          max_chars=VENUE_MAX, key=f"{key}-venue")  # fmt: skip
    location_line = p2.text_input("Anschrift (Straße, Ort)", first.location_line,
                                  max_chars=LOCATION_MAX, key=f"{key}-location")  # fmt: skip
    if f"{key}-point" not in st.session_state:
        st.session_state[f"{key}-point"] = first.point
    point = st.text_input(
        "Kartenpunkt (Breite, Länge), freiwillig", placeholder="51.2750, 12.5830",
        key=f"{key}-point",
    )  # fmt: skip
    organiser = st.text_input("Veranstalter (Verein, Gemeinde …)", first.organiser,
                              max_chars=ORGANISER_MAX, key=f"{key}-organiser")  # fmt: skip
    f1, f2 = st.columns(2)
    free = f1.checkbox("Eintritt frei", first.free, key=f"{key}-free")
    price = f2.text_input("Eintritt, wenn nicht frei (z. B. 5 €, ermäßigt 3 €)",
                          first.price_text, max_chars=PRICE_MAX, key=f"{key}-price")  # fmt: skip
    accessibility = st.text_area(
        "Barrierefreiheit (Zugang, Toiletten, Hörschleife …)",
        first.accessibility,
        max_chars=ACCESSIBILITY_MAX,
        height=80,
        key=f"{key}-accessibility",
    )

    def draft() -> service.EventDraft:
        return service.EventDraft(
            title=title,
            category=category or "",
            municipality_ags=ags or None,
            day=day,
            start_time=begin,
            end_time=end,
            end_day=end_day or None,
            all_day=all_day,
            description=description,
            venue=venue,
            location_line=location_line,
            point=point,
            organiser=organiser,
            free=free,
            price_text=price,
            accessibility=accessibility,
            recurrence=recurrence.Recurrence(
                frequency or "none", interval, tuple(weekdays), end_kind or "count", count, until
            ),
            exceptions=exceptions,
            rrule=first.rrule,
        )

    return draft


def _text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return _day_text(value)
    if hasattr(value, "strftime"):
        return value.strftime("%H:%M")
    return str(value)


def occurrence_links(items: tuple[Occurrence, ...], names: dict[str, str]) -> None:
    """The coming dates: each a link to its event (or its meeting) with its facts below."""
    for item in items:
        when = service.when(item.starts_at, item.ends_at, item.all_day)
        label = f"{when} · {'Abgesagt: ' if item.cancelled else ''}{item.title}"
        if item.event_id is not None:
            st.page_link(EVENTS_PAGE, label=plain(label),
                         query_params={service.DETAIL_KEY: str(item.event_id)})  # fmt: skip
        else:
            st.page_link(MEETINGS_PAGE, label=plain(label),
                         query_params={"sitzung": str(item.meeting_id)})  # fmt: skip
        facts = [item.category_label, names.get(item.municipality_ags or "", "ganze Allianz")]
        if item.venue:
            facts.append(item.venue)
        if item.recurring:
            facts.append("Terminreihe")
        st.caption(plain(" · ".join(facts)))


def description(event: Event) -> None:
    """The description as its Markdown, with nothing of the writer's markup executed."""
    if event.description:
        st.html(rich_text.to_html(event.description))


def facts(event: Event, names: dict[str, str], labels: dict[str, str]) -> list[tuple[str, str]]:
    rows = [
        ("Termin", service.event_when(event)),
        ("Wiederholung", recurrence.describe(event.rrule)),
        ("Ort", ", ".join(p for p in (event.venue, event.location_line) if p)),
        ("Gemeinde", names.get(event.municipality_ags or "", "ganze Allianz")),
        ("Veranstalter", event.organiser),
        ("Kategorie", labels.get(event.category, event.category)),
        ("Eintritt", "frei" if event.free else event.price_text),
    ]
    if event.exdates:
        rows.append(("Fällt aus am", ", ".join(_day_text(date.fromisoformat(d))
                                                for d in event.exdates)))  # fmt: skip
    if event.accessibility:
        rows.append(("Barrierefreiheit", event.accessibility))
    return rows


def facts_table(rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        st.markdown(f"**{plain(label)}:** {plain(value)}")


def count_line(total: int) -> str:
    return f"{de_int(total)} {'Termin' if total == 1 else 'Termine'}"
