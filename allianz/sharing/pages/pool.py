"""Geräte-Pool: the members' Bauhof items with their lending rules and week view; booking
(with operator where required); the owner's answers, maintenance blocks and returns."""

from datetime import UTC, date, datetime, timedelta

import streamlit as st

from allianz import maps, web_session
from allianz.auth import can
from allianz.errors import DomainError
from allianz.formatting import de_datetime
from allianz.sharing import service
from allianz.sharing.model import CATEGORIES, HOLDER_KINDS
from allianz.ui import german_table, plain, user_text

PAGE = "allianz/sharing/pages/pool.py"
user, alliance, db = web_session.open_page("page.pool")
chosen = web_session.detail_key("geraet")
now = datetime.now(UTC)
names = {m.ags: m.name for m in alliance.municipalities}


def _state(booking) -> str:
    if booking.state == "requested" and booking.hold_until and booking.hold_until <= now:
        return "Reservierung abgelaufen"
    if booking.state == "requested":
        return f"angefragt, reserviert bis {de_datetime(booking.hold_until.isoformat())}"
    return booking.state_label


def _span(booking) -> str:
    return (
        f"{de_datetime(booking.starts_at.isoformat())} – {de_datetime(booking.ends_at.isoformat())}"
    )


def _rules(item) -> list[tuple[str, str]]:
    facts = [("Eigentümer", item.holder_label), ("Kategorie", item.category_label)]
    if item.depot:
        facts.append(("Standort", item.depot))
    for cents, label in (
        (item.rate_hour_cents, "Satz je Maschinenstunde"),
        (item.rate_day_cents, "Satz je Tag"),
        (item.rate_km_cents, "Satz je Kilometer"),
        (item.deposit_cents, "Kaution"),
    ):
        if cents:
            facts.append((label, service.euro(cents)))
    if item.operator_required:
        facts.append(
            (
                "Bedienpersonal",
                f"kommt immer mit (Pflicht), {service.euro(item.operator_rate_cents)} je Stunde",
            )
        )
    for value, label in (
        (item.licence, "Führerschein/Befähigung"),
        (item.pickup_place, "Abholung"),
        (item.return_place, "Rückgabe"),
        (item.insurance_note, "Versicherung"),
    ):
        if value:
            facts.append((label, value))
    return facts


def _booking_form(item) -> None:
    if not service.may_book(user):
        return
    st.subheader("Anfragen")
    name = f"book-{item.id}"
    with st.form(web_session.form_key(name)):
        if user.municipality_ags:
            borrower = user.municipality_ags
            st.write(f"Für: **{plain(names.get(borrower, borrower))}**")
        else:
            borrower = st.selectbox(
                "Für die Gemeinde",
                list(names),
                format_func=names.get,
                index=None,
                placeholder="Gemeinde wählen",
            )
        c1, c2 = st.columns(2)
        first = c1.date_input(
            "Von (Tag)", value=date.today() + timedelta(days=1), format="DD.MM.YYYY"
        )
        start_time = c2.time_input("Von (Uhrzeit)", value="07:00", step=900)
        c3, c4 = st.columns(2)
        last = c3.date_input(
            "Bis (Tag)", value=date.today() + timedelta(days=1), format="DD.MM.YYYY"
        )
        end_time = c4.time_input("Bis (Uhrzeit)", value="16:00", step=900)
        operator = st.checkbox(
            "mit Bedienpersonal des Bauhofs",
            value=item.operator_required,
            disabled=item.operator_required or item.crew_id is None,
        )
        purpose = st.text_area("Wofür (Einsatzort, Arbeit)", max_chars=service.TEXT_MAX)
        if st.form_submit_button("Anfragen", type="primary"):
            if borrower is None:
                st.error("Bitte die Gemeinde wählen, für die gebucht wird.")
                return
            token = web_session.form_token(
                name, borrower, first, start_time, last, end_time, operator, purpose
            )
            draft = service.BookingDraft(
                borrower,
                service.local_moment(first, start_time),
                service.local_moment(last, end_time),
                with_operator=operator or item.operator_required,
                purpose=purpose,
            )
            web_session.act(
                lambda: service.request_booking(db, user, item.id, draft, token),
                lambda b: f"Gespeichert: {b.ref} ist {_state(b)}.",
                form=name,
            )


def _block_form(item) -> None:
    if not service.may_keep(user, item):
        return
    with st.expander("Sperren (Wartung oder Bedienpersonal verhindert)"):
        name = f"block-{item.id}"
        with st.form(web_session.form_key(name)):
            c1, c2 = st.columns(2)
            first = c1.date_input("Gesperrt ab", value=date.today(), format="DD.MM.YYYY")
            last = c2.date_input(
                "Gesperrt bis einschließlich", value=date.today(), format="DD.MM.YYYY"
            )
            reason = st.text_input("Grund", max_chars=service.PLACE_MAX)
            crew = st.checkbox(
                "Bedienpersonal verhindert (statt Gerät in Wartung)", disabled=item.crew_id is None
            )
            if st.form_submit_button("Sperren"):
                start = service.local_moment(first, "00:00")
                end = service.local_moment(last + timedelta(days=1), "00:00")
                web_session.act(
                    lambda: service.add_block(db, user, item.id, start, end, reason, crew=crew),
                    "Sperre gespeichert.",
                    form=name,
                )


def detail(item) -> None:
    if st.button("← Alle Geräte"):
        st.query_params.clear()
        st.rerun()
    st.title(plain(item.title))
    st.caption(f"{item.ref} · {plain(item.holder_label)}")
    if item.description:
        user_text(item.description)
    st.table(german_table([{"": k, "Regel": v} for k, v in _rules(item)]))
    if item.lat is not None and item.lon is not None:
        around = (item.lon - 0.01, item.lat - 0.006, item.lon + 0.01, item.lat + 0.006)
        fmap = maps.base_map(alliance, around)
        maps.add_points(
            fmap,
            [maps.MapPoint(item.lat, item.lon, item.depot or item.title)],
            layer_name="Standort",
        )
        maps.show(fmap, key=f"item-map-{item.id}", height=240, returned_objects=())
    st.subheader("Belegung")
    shown = st.date_input("Woche mit dem Tag", value=date.today(), format="DD.MM.YYYY")
    monday = shown - timedelta(days=shown.weekday())
    st.table(german_table(service.week(db, alliance, item.id, monday, now=now)))
    feed = f"{web_session.base_url()}/feeds/geraete/{item.id}.ics"
    st.caption("Belegung als Kalender abonnieren (ohne Personendaten):")
    st.code(feed, language=None)
    _booking_form(item)
    _block_form(item)


def _incoming() -> None:
    pairs = service.bookings_for(db, user, incoming=True, states=("requested", "approved"))
    if not pairs:
        st.write("Keine offenen Anfragen oder laufenden Ausleihen.")
    for booking, item in pairs:
        with st.container(border=True):
            st.markdown(
                f"**{booking.ref} · {plain(item.title)}** für "
                f"{plain(names.get(booking.borrower_ags, booking.borrower_ags))}"
            )
            st.caption(
                f"{_span(booking)} · {_state(booking)}"
                + (" · mit Bedienpersonal" if booking.with_operator else "")
            )
            if booking.purpose:
                user_text(booking.purpose)
            if booking.state == "requested" and booking.hold_until and booking.hold_until > now:
                c1, c2 = st.columns(2)
                if c1.button("Reservierung verlängern", key=f"extend-{booking.id}"):
                    web_session.act(
                        lambda b=booking.id: service.extend_hold(db, user, b),
                        f"Die Reservierung von {booking.ref} ist verlängert.",
                    )
                if c1.button("Zusagen", key=f"approve-{booking.id}", type="primary"):
                    web_session.act(
                        lambda b=booking.id: service.approve(db, user, b),
                        f"{booking.ref} zugesagt.",
                    )
                with c2.form(web_session.form_key(f"decline-{booking.id}")):
                    reason = st.text_input("Grund der Ablehnung", max_chars=service.TEXT_MAX)
                    if st.form_submit_button("Ablehnen"):
                        web_session.act(
                            lambda b=booking.id, r=reason: service.decline(db, user, b, r),
                            f"{booking.ref} abgelehnt.",
                            form=f"decline-{booking.id}",
                        )
            elif booking.state == "approved" and booking.starts_at <= now:
                name = f"return-{booking.id}"
                with st.form(web_session.form_key(name)):
                    st.markdown("**Rückgabe eintragen**")
                    c1, c2, c3 = st.columns(3)
                    machine = c1.text_input("Maschinenstunden", placeholder="z. B. 7,5")
                    crew = c2.text_input(
                        "Stunden Bedienpersonal",
                        placeholder="leer = wie Maschine",
                        disabled=not booking.with_operator,
                    )
                    km = c3.number_input(
                        "Kilometer", min_value=0, max_value=service.MAX_KM, step=1, value=0
                    )
                    note = st.text_area("Zustand bei Rückgabe", max_chars=service.TEXT_MAX)
                    if st.form_submit_button("Rückgabe speichern", type="primary"):
                        given = service.ReturnInput(machine, crew, int(km), note)
                        web_session.act(
                            lambda b=booking.id, g=given: service.record_return(db, user, b, g),
                            f"Rückgabe von {booking.ref} gespeichert.",
                            form=name,
                        )


def _mine() -> None:
    pairs = service.bookings_for(db, user, incoming=False)
    if not pairs:
        st.write("Ihre Gemeinde hat noch nichts gebucht.")
    for booking, item in reversed(pairs):
        with st.container(border=True):
            st.markdown(f"**{booking.ref} · {plain(item.title)}** ({plain(item.holder_label)})")
            st.caption(f"{_span(booking)} · {_state(booking)}")
            if booking.decline_reason:
                user_text(f"Begründung: {booking.decline_reason}")
            open_ = booking.state in ("requested", "approved") and booking.starts_at > now
            if open_ and st.button("Stornieren", key=f"cancel-{booking.id}"):
                web_session.act(
                    lambda b=booking.id: service.cancel(db, user, b),
                    f"{booking.ref} storniert.",
                )


def _new_item() -> None:
    name = "pool-item"
    kinds = (
        ["municipality", "club", "alliance"] if user.municipality_ags is None else ["municipality"]
    )
    with st.form(web_session.form_key(name)):
        kind = st.selectbox(
            "Eigentümer", kinds, format_func=HOLDER_KINDS.get, placeholder="Eigentümer wählen"
        )
        if user.municipality_ags:
            holder = user.municipality_ags
        else:
            holder = st.selectbox(
                "Gemeinde (bei Bauhof)",
                list(names),
                format_func=names.get,
                index=None,
                placeholder="Gemeinde wählen",
            )
        club = st.text_input("Verein (bei Vereinsgeräten)", max_chars=service.TITLE_MAX)
        category = st.selectbox(
            "Kategorie",
            list(CATEGORIES),
            format_func=CATEGORIES.get,
            index=None,
            placeholder="Kategorie wählen",
        )
        title = st.text_input("Bezeichnung", max_chars=service.TITLE_MAX)
        description = st.text_area("Beschreibung", max_chars=service.TEXT_MAX)
        depot = st.text_input("Standort (Depot)", max_chars=service.PLACE_MAX)
        point = st.text_input("Kartenpunkt (Breite, Länge)", placeholder="51.2750, 12.5830")
        c1, c2, c3, c4 = st.columns(4)
        hour = c1.text_input("€ je Stunde", placeholder="0,00")
        day = c2.text_input("€ je Tag", placeholder="0,00")
        km = c3.text_input("€ je km", placeholder="0,00")
        deposit = c4.text_input("Kaution €", placeholder="0,00")
        crews = service.crews(db, user.municipality_ags)
        operator = st.checkbox("nur mit Bedienpersonal")
        c5, c6 = st.columns(2)
        operator_rate = c5.text_input("€ je Stunde Bedienpersonal", placeholder="0,00")
        crew = c6.selectbox(
            "Mannschaft",
            [c.id for c in crews],
            index=None,
            format_func=lambda c: next(
                f"{names.get(x.holder_ags)}: {x.title} ({x.size})" for x in crews if x.id == c
            ),
            placeholder="Mannschaft wählen",
        )
        licence = st.text_input("Führerschein/Befähigung", max_chars=service.PLACE_MAX)
        insurance = st.text_area("Versicherung", max_chars=service.TEXT_MAX)
        pickup = st.text_input("Abholung", max_chars=service.PLACE_MAX)
        back = st.text_input("Rückgabe", max_chars=service.PLACE_MAX)
        if st.form_submit_button("Gerät eintragen", type="primary"):

            def work():
                draft = service.ItemDraft(
                    holder_kind=kind,
                    holder_ags=holder,
                    category=category,
                    title=title,
                    description=description,
                    depot=depot,
                    point=point,
                    rate_hour_cents=service.cents_from_euro(hour, "€ je Stunde"),
                    rate_day_cents=service.cents_from_euro(day, "€ je Tag"),
                    rate_km_cents=service.cents_from_euro(km, "€ je km"),
                    deposit_cents=service.cents_from_euro(deposit, "Kaution"),
                    operator_required=operator,
                    operator_rate_cents=service.cents_from_euro(operator_rate, "Bedienpersonal"),
                    crew_id=crew,
                    licence=licence,
                    insurance_note=insurance,
                    pickup_place=pickup,
                    return_place=back,
                    holder_label=club,
                )
                token = web_session.form_token(name, draft)
                return service.create_item(db, alliance, user, draft, token)

            web_session.act(work, "Gerät eingetragen.", form=name)


if chosen:
    try:
        shown = service.get_item(db, int(chosen) if chosen.isdigit() else -1)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        if st.button("← Alle Geräte"):
            st.query_params.clear()
            st.rerun()
        st.stop()
    detail(shown)
    st.stop()

st.title("Geräte-Pool")
st.write(
    "Maschinen, Fahrzeuge und Veranstaltungsausstattung der Bauhöfe der Mitgliedsgemeinden. "
    "Eine Anfrage reserviert die Zeit für "
    f"{int(service.HOLD.total_seconds() // 3600)} Stunden, bis der Bauhof zusagt."
)
keeper = can(user.role, "sharing.inventory")
labels = ["Geräte", "Unsere Buchungen"] + (
    ["Anfragen an unseren Bauhof", "Gerät eintragen"] if keeper else []
)
tabs = st.tabs(labels, key="pool-tabs", on_change="rerun")
with tabs[0]:
    c1, c2 = st.columns(2)
    category = c1.selectbox(
        "Kategorie",
        [None, *CATEGORIES],
        placeholder="alle Kategorien",
        format_func=lambda c: "alle Kategorien" if c is None else CATEGORIES[c],
    )
    holder = c2.selectbox(
        "Bauhof",
        [None, *names],
        placeholder="alle Bauhöfe",
        format_func=lambda a: "alle Bauhöfe" if a is None else names[a],
    )
    found = service.items(db, category=category, holder_ags=holder)
    if not found:
        st.write("Keine Geräte für diese Auswahl.")
    for item in found:
        st.page_link(
            PAGE,
            label=plain(f"{item.title} · {item.holder_label}"),
            query_params={"geraet": str(item.id)},
        )
        rate = " · ".join(
            f"{service.euro(c)} {unit}"
            for c, unit in ((item.rate_hour_cents, "je Stunde"), (item.rate_day_cents, "je Tag"))
            if c
        )
        st.caption(
            f"{item.category_label}"
            + (f" · {rate}" if rate else "")
            + (" · mit Bedienpersonal" if item.operator_required else "")
        )
with tabs[1]:
    _mine()
if keeper:
    with tabs[2]:
        _incoming()
    with tabs[3]:
        _new_item()
