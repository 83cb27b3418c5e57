"""Geräte-Pool: the members' Bauhof items with their lending rules and week view; booking
(with operator where required); the owner's answers, maintenance blocks and returns."""

from datetime import UTC, date, datetime, timedelta

import streamlit as st

from allianz import maps, web_session
from allianz.auth import can
from allianz.errors import DomainError
from allianz.formatting import de_datetime, de_int
from allianz.sharing import service
from allianz.sharing.model import CATEGORIES, HOLDER_KINDS
from allianz.ui import german_table, plain, user_text

PAGE = "allianz/sharing/pages/pool.py"
user, alliance, db = web_session.open_page("page.pool")
chosen = web_session.detail_key("geraet")
now = datetime.now(UTC)
names = {m.ags: m.name for m in alliance.municipalities}
SHOWN = 50  # rows per list: a district's pool has thousands of items and bookings
RECENT = timedelta(days=60)


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
    """The item's facts for st.table, which renders Markdown: typed text goes through plain."""
    facts = [("Eigentümer", plain(item.holder_label)), ("Kategorie", item.category_label)]
    if item.depot:
        facts.append(("Standort", plain(item.depot)))
    for cents, label in (
        (item.rate_hour_cents, "Satz je Maschinenstunde"),
        (item.rate_day_cents, "Satz je Tag"),
        (item.rate_km_cents, "Satz je Kilometer"),
        (item.deposit_cents, "Kaution"),
        (item.purchase_value_cents, "Anschaffungswert"),
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
            facts.append((label, plain(value)))
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
                lambda: service.request_booking(
                    db, user, item.id, draft, token, base_url=web_session.base_url()
                ),
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
    picture = service.photo(db, item.id)
    if picture is not None:
        st.image(picture, caption=f"Foto: {plain(item.title)}", width=420)
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
    week = service.week(db, alliance, item.id, monday, now=now)
    st.table(german_table([{**row, "Belegung": plain(row["Belegung"])} for row in week]))
    feed = f"{web_session.base_url()}/feeds/geraete/{item.id}.ics"
    st.caption("Belegung als Kalender abonnieren (ohne Personendaten):")
    st.code(feed, language=None)
    _booking_form(item)
    _block_form(item)
    _keep_item(item)


def _incoming() -> None:
    pairs = service.bookings_for(
        db, user, incoming=True, states=("requested", "approved"), since=now - RECENT,
        limit=SHOWN,
    )  # fmt: skip
    if not pairs:
        st.write("Keine offenen Anfragen oder laufenden Ausleihen.")
    elif len(pairs) == SHOWN:
        st.caption(
            f"Die ersten {SHOWN} Anfragen und Ausleihen nach Beginn; bitte erledigen Sie diese, "
            "dann erscheinen die nächsten."
        )
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
                        lambda b=booking.id: service.approve(
                            db, user, b, base_url=web_session.base_url()
                        ),
                        f"{booking.ref} zugesagt.",
                    )
                with c2.form(web_session.form_key(f"decline-{booking.id}")):
                    reason = st.text_input("Grund der Ablehnung", max_chars=service.TEXT_MAX)
                    if st.form_submit_button("Ablehnen"):
                        web_session.act(
                            lambda b=booking.id, r=reason: service.decline(
                                db, user, b, r, base_url=web_session.base_url()
                            ),
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
    pairs = service.bookings_for(db, user, incoming=False, since=now - RECENT, limit=SHOWN)
    if not pairs:
        st.write(f"Ihre Gemeinde hat in den letzten {RECENT.days} Tagen nichts gebucht.")
    st.caption(
        f"Buchungen, die in den letzten {RECENT.days} Tagen endeten oder noch kommen (höchstens "
        f"{SHOWN}, die neuesten zuerst); ältere stehen in der Abrechnung."
    )
    for booking, item in pairs:
        with st.container(border=True):
            st.markdown(f"**{booking.ref} · {plain(item.title)}** ({plain(item.holder_label)})")
            st.caption(f"{_span(booking)} · {_state(booking)}")
            if booking.decline_reason:
                user_text(f"Begründung: {booking.decline_reason}")
            open_ = booking.state in ("requested", "approved") and booking.starts_at > now
            if open_ and st.button("Stornieren", key=f"cancel-{booking.id}"):
                web_session.act(
                    lambda b=booking.id: service.cancel(
                        db, user, b, base_url=web_session.base_url()
                    ),
                    f"{booking.ref} storniert.",
                )


def _euro_text(cents: int) -> str:
    return service.euro(cents).removesuffix(" €") if cents else ""


def _rule_fields(start: service.ItemDraft, key: str) -> dict:
    """The item's data and lending rules as form fields, filled from `start`; returns what
    was typed (amounts still as text)."""
    typed = {}
    typed["category"] = st.selectbox(
        "Kategorie",
        list(CATEGORIES),
        format_func=CATEGORIES.get,
        index=list(CATEGORIES).index(start.category) if start.category in CATEGORIES else None,
        placeholder="Kategorie wählen",
        key=f"{key}-category",
    )
    typed["title"] = st.text_input("Bezeichnung", start.title, max_chars=service.TITLE_MAX)
    typed["description"] = st.text_area(
        "Beschreibung", start.description, max_chars=service.TEXT_MAX
    )
    typed["depot"] = st.text_input("Standort (Depot)", start.depot, max_chars=service.PLACE_MAX)
    typed["point"] = st.text_input(
        "Kartenpunkt (Breite, Länge)", start.point, placeholder="51.2750, 12.5830"
    )
    c1, c2, c3, c4 = st.columns(4)
    typed["hour"] = c1.text_input(
        "€ je Stunde", _euro_text(start.rate_hour_cents), placeholder="0,00"
    )
    typed["day"] = c2.text_input("€ je Tag", _euro_text(start.rate_day_cents), placeholder="0,00")
    typed["km"] = c3.text_input("€ je km", _euro_text(start.rate_km_cents), placeholder="0,00")
    typed["deposit"] = c4.text_input(
        "Kaution €", _euro_text(start.deposit_cents), placeholder="0,00"
    )
    typed["purchase"] = st.text_input(
        "Anschaffungswert € (Neupreis oder Wiederbeschaffung)",
        _euro_text(start.purchase_value_cents),
        placeholder="0,00",
        help="Für die Kennzahl „Ersparnis gegenüber eigenem Kauf“ im Lenkungsgruppen-Bericht.",
    )
    crews = service.crews(db, start.holder_ags or user.municipality_ags)
    typed["operator"] = st.checkbox("nur mit Bedienpersonal", start.operator_required)
    c5, c6 = st.columns(2)
    typed["operator_rate"] = c5.text_input(
        "€ je Stunde Bedienpersonal", _euro_text(start.operator_rate_cents), placeholder="0,00"
    )
    crew_ids = [c.id for c in crews]
    typed["crew"] = c6.selectbox(
        "Mannschaft",
        crew_ids,
        index=crew_ids.index(start.crew_id) if start.crew_id in crew_ids else None,
        format_func=lambda c: next(
            f"{names.get(x.holder_ags)}: {x.title} ({x.size})" for x in crews if x.id == c
        ),
        placeholder="Mannschaft wählen",
        key=f"{key}-crew",
    )
    typed["licence"] = st.text_input(
        "Führerschein/Befähigung", start.licence, max_chars=service.PLACE_MAX
    )
    typed["insurance"] = st.text_area(
        "Versicherung", start.insurance_note, max_chars=service.TEXT_MAX
    )
    typed["pickup"] = st.text_input("Abholung", start.pickup_place, max_chars=service.PLACE_MAX)
    typed["back"] = st.text_input("Rückgabe", start.return_place, max_chars=service.PLACE_MAX)
    return typed


def _draft(typed: dict, kind: str, holder: str | None, club: str) -> service.ItemDraft:
    return service.ItemDraft(
        holder_kind=kind,
        holder_ags=holder,
        category=typed["category"],
        title=typed["title"],
        description=typed["description"],
        depot=typed["depot"],
        point=typed["point"],
        rate_hour_cents=service.cents_from_euro(typed["hour"], "€ je Stunde"),
        rate_day_cents=service.cents_from_euro(typed["day"], "€ je Tag"),
        rate_km_cents=service.cents_from_euro(typed["km"], "€ je km"),
        deposit_cents=service.cents_from_euro(typed["deposit"], "Kaution"),
        operator_required=typed["operator"],
        operator_rate_cents=service.cents_from_euro(typed["operator_rate"], "Bedienpersonal"),
        crew_id=typed["crew"],
        licence=typed["licence"],
        insurance_note=typed["insurance"],
        pickup_place=typed["pickup"],
        return_place=typed["back"],
        holder_label=club,
        purchase_value_cents=service.cents_from_euro(
            typed["purchase"], "Anschaffungswert", service.MAX_VALUE_CENTS
        ),
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
        typed = _rule_fields(service.ItemDraft(kind, holder, "", ""), name)
        if st.form_submit_button("Gerät eintragen", type="primary"):

            def work():
                draft = _draft(typed, kind, holder, club)
                token = web_session.form_token(name, draft)
                return service.create_item(db, alliance, user, draft, token)

            web_session.act(work, "Gerät eingetragen.", form=name)


def _keep_item(item) -> None:
    """The owner's staff: edit data and rules, upload the photo, retire the item."""
    if not service.may_keep(user, item):
        return
    with st.expander("Gerät und Ausleihregeln bearbeiten"):
        name = f"edit-{item.id}"
        with st.form(web_session.form_key(name)):
            typed = _rule_fields(service.draft_of(item), name)
            if st.form_submit_button("Änderungen speichern", type="primary"):
                web_session.act(
                    lambda: service.update_item(
                        db,
                        alliance,
                        user,
                        item.id,
                        _draft(typed, item.holder_kind, item.holder_ags, item.holder_label),
                    ),
                    "Änderungen gespeichert. Bestehende Buchungen behalten ihre Sätze.",
                    form=name,
                )
    with st.expander("Foto hochladen"):
        upload = st.file_uploader(
            "Foto (JPEG oder PNG, höchstens 5 MB)",
            type=["jpg", "jpeg", "png"],
            key=f"photo-{item.id}",
        )
        if st.button("Foto speichern", key=f"photo-save-{item.id}"):
            if upload is None:
                st.error("Bitte zuerst ein Foto wählen.")
            else:
                web_session.act(
                    lambda: service.set_photo(db, user, item.id, upload.getvalue()),
                    "Foto gespeichert.",
                )
    with st.expander("Außer Dienst stellen"):
        st.write(
            "Das Gerät nimmt dann keine Buchungen mehr an; seine Ausleihen bleiben für die "
            "Abgeltung erhalten. Laufende Reservierungen werden abgelehnt und die Gemeinden "
            "benachrichtigt."
        )
        name = f"retire-{item.id}"
        with st.form(web_session.form_key(name)):
            sure = st.checkbox(f"Ja, „{plain(item.title)}“ außer Dienst stellen")
            if st.form_submit_button("Außer Dienst stellen"):
                if not sure:
                    st.error("Bitte zuerst bestätigen.")
                else:

                    def retire():
                        service.retire_item(db, user, item.id, base_url=web_session.base_url())
                        st.query_params.clear()

                    web_session.act(retire, f"{plain(item.title)} ist außer Dienst gestellt.")


def show_depot(ags: str) -> None:
    """Week or month view of one Bauhof: every item a row, every day a column, in words."""
    if st.button("← Alle Geräte"):
        st.query_params.clear()
        st.rerun()
    if ags not in names:
        st.error("Diesen Bauhof gibt es nicht.")
        st.stop()
    st.title(f"Belegung Bauhof {plain(names[ags])}")
    views = list(service.DEPOT_VIEWS)
    asked = st.query_params.get("ansicht", "woche")
    view = st.radio(
        "Ansicht",
        views,
        index=views.index(asked) if asked in views else 0,
        format_func=service.DEPOT_VIEWS.get,
        horizontal=True,
    )
    try:
        day = date.fromisoformat(st.query_params.get("ab", ""))
    except ValueError:
        day = date.today()
    day = st.date_input("Zeitraum mit dem Tag", value=day, format="DD.MM.YYYY")
    first, days = service.depot_period(view, day)
    st.query_params["ansicht"] = view
    st.query_params["ab"] = day.isoformat()  # the chosen day: week and month both contain it
    last = first + timedelta(days=days - 1)
    st.caption(
        f"{service.DEPOT_VIEWS[view]} vom {first:%d.%m.%Y} bis {last:%d.%m.%Y}. Jede Zelle nennt, "
        "was den Tag belegt: „zugesagt“, „reserviert“ (Anfrage, solange die Reservierung läuft) "
        "oder „gesperrt“ (Wartung); sonst „frei“."
    )
    rows = service.depot(db, ags, first, days, now=now)
    if not rows:
        st.write("Dieser Bauhof hat noch keine Geräte im Pool.")
        return
    rows = [{**row, "Gerät": plain(row["Gerät"])} for row in rows]  # st.table renders Markdown
    st.table(german_table(rows).set_index("Gerät"))


depot_shown = web_session.detail_key("depot")
if depot_shown:
    show_depot(depot_shown)
    st.stop()
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


def _catalogue() -> None:
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
    with st.expander("Belegung je Bauhof (Woche oder Monat)", expanded=holder is not None):
        for ags, name in names.items():
            if holder is None or holder == ags:
                st.page_link(
                    PAGE, label=f"Belegung Bauhof {plain(name)}", query_params={"depot": ags}
                )
    if not found:
        st.write("Keine Geräte für diese Auswahl.")
    pages = max(1, -(-len(found) // SHOWN))
    number = 1
    if pages > 1:
        number = st.selectbox(
            f"Seite ({de_int(len(found))} Geräte, je {SHOWN})",
            range(1, pages + 1),
            format_func=lambda n: f"Seite {n} von {pages}",
            placeholder="Seite wählen",
        )
    for item in found[(number - 1) * SHOWN : number * SHOWN]:
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


for tab, build in (
    (tabs[0], _catalogue),
    (tabs[1], _mine),
    *(((tabs[2], _incoming), (tabs[3], _new_item)) if keeper else ()),
):
    if tab.open:  # only the tab shown is built: lists of a district are long
        with tab:
            build()
