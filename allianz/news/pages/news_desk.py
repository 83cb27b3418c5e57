"""Neuigkeiten schreiben: the office and the members' staff write news, save drafts, send them
on (published at once, or to the office's review), change and withdraw them; the office's
review queue with "Freigeben" and "Zurückgeben" (with a note)."""

from datetime import datetime, time

import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import BERLIN, de_int
from allianz.news import service
from allianz.news.model import BODY_MAX, DETAIL_KEY, NOTE_MAX, TEASER_MAX, TITLE_MAX, Draft, State
from allianz.rich_text import to_html
from allianz.ui import plain

PAGE = "allianz/news/pages/news_desk.py"
PUBLIC = "allianz/news/pages/news.py"
user, alliance, db = web_session.open_page("page.news_desk")
chosen = web_session.detail_key(DETAIL_KEY)
office = service.is_office(user)
review = service.review_required(alliance)
names = {m.ags: m.name for m in alliance.municipalities}
topics = service.topics(alliance)
QUEUE_SHOWN = 20
SEND = "Veröffentlichen" if office or not review else "Zur Freigabe senden"


def _local(iso: str | None):
    return datetime.fromisoformat(iso).astimezone(BERLIN) if iso else None


def _at(day, clock) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, clock or time(0, 0), BERLIN)


def form(current=None) -> None:
    """New item (current None) or the chosen item's fields."""
    name = f"news-{current.id}" if current else "news-new"
    starts, ends = _local(current.publish_from if current else None), None
    if current is not None:
        ends = _local(current.publish_until)
    with st.form(web_session.form_key(name)):
        title = st.text_input(
            f"Titel (3 bis {TITLE_MAX} Zeichen)", value=current.title if current else "",
            max_chars=TITLE_MAX,
        )  # fmt: skip
        teaser = st.text_area(
            "Vorspann (ein, zwei Sätze für die Liste und die Feeds)",
            value=current.teaser if current else "", max_chars=TEASER_MAX, height=80,
        )  # fmt: skip
        body = st.text_area(
            "Text (Markdown: **fett**, *kursiv*, - Aufzählung, [Link](https://…))",
            value=current.body if current else "", max_chars=BODY_MAX, height=240,
        )  # fmt: skip
        c1, c2 = st.columns(2)
        if office:
            places = [None, *names]
            place = c1.selectbox(
                "Gemeinde",
                places,
                index=places.index(current.municipality_ags) if current else 0,
                format_func=lambda a: "ganze Allianz" if a is None else names[a],
                placeholder="Gemeinde wählen",
            )
        else:
            place = user.municipality_ags
            c1.text_input("Gemeinde", value=names.get(place or "", ""), disabled=True)
        numbers = list(topics)
        topic = c2.selectbox(
            "Thema (Handlungsfeld)",
            numbers,
            index=numbers.index(current.handlungsfeld)
            if current and current.handlungsfeld in numbers
            else None,
            format_func=lambda n: f"{n}. {topics[n]}",
            placeholder="Handlungsfeld wählen (freiwillig)",
        )
        d1, d2, d3, d4 = st.columns(4)
        from_day = d1.date_input(
            "Veröffentlichen ab (leer: sofort)", value=starts.date() if starts else None,
            format="DD.MM.YYYY",
        )  # fmt: skip
        from_time = d2.time_input(
            "Uhrzeit ab", value=starts.time() if starts else time(8, 0), step=900
        )
        until_day = d3.date_input(
            "Veröffentlichen bis (leer: ohne Ende)", value=ends.date() if ends else None,
            format="DD.MM.YYYY",
        )  # fmt: skip
        until_time = d4.time_input(
            "Uhrzeit bis", value=ends.time() if ends else time(23, 45), step=900
        )  # fmt: skip
        photo = st.file_uploader(
            "Foto (JPEG oder PNG, höchstens 5 MB; wird ohne Metadaten gespeichert)",
            type=["jpg", "jpeg", "png"],
        )
        remove = False
        if current is not None and current.has_image:
            remove = st.checkbox("Foto entfernen")
        b1, b2 = st.columns(2)
        save = b1.form_submit_button("Als Entwurf speichern" if current is None else "Speichern")
        send = b2.form_submit_button(SEND, type="primary")
    if not (save or send):
        return
    draft = Draft(
        title, teaser, body, place, topic,
        publish_from=_at(from_day, from_time), publish_until=_at(until_day, until_time),
        image=photo.getvalue() if photo is not None else None, remove_image=remove,
    )  # fmt: skip
    if current is None:
        token = web_session.form_token(
            "news-create", title, teaser, body, place, topic, from_day, until_day
        )
        try:
            made = service.create(db, alliance, user, draft, submit=send, token=token)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
            return
        web_session.clear_form(name)
        st.query_params[DETAIL_KEY] = str(made.id)
        web_session.saved(f"Meldung Nr. {made.id} gespeichert: {made.state_label}.")
    web_session.act(
        lambda: service.update(db, alliance, user, current.id, draft, submit=bool(send)),
        lambda item: f"Meldung Nr. {item.id} gespeichert: {item.state_label}.",
    )


def queue() -> None:
    waiting = service.review_queue(db, user)
    st.subheader(f"Zur Freigabe ({len(waiting)})")
    if not waiting:
        st.write("Keine Meldung wartet auf Freigabe.")
    if len(waiting) > QUEUE_SHOWN:
        st.caption(
            f"Die {QUEUE_SHOWN} ältesten zuerst; die übrigen {len(waiting) - QUEUE_SHOWN} "
            "erscheinen, sobald diese bearbeitet sind."
        )
    for item in waiting[:QUEUE_SHOWN]:
        with st.container(border=True):
            st.markdown(f"**{plain(item.title)}**")
            st.caption(
                plain(
                    f"{service.place_label(alliance, item.municipality_ags)} · eingereicht "
                    f"{service.when(item.updated_at)}"
                )
            )
            st.write(plain(service.description(item)))
            st.page_link(
                PAGE, label="Ansehen und bearbeiten", query_params={DETAIL_KEY: str(item.id)}
            )
            c1, c2 = st.columns([1, 2])
            if c1.button("Freigeben", key=f"approve-{item.id}", type="primary"):
                web_session.act(
                    lambda i=item.id: service.approve(db, user, i),
                    f"Meldung Nr. {item.id} ist freigegeben und veröffentlicht.",
                )
            note = c2.text_input(
                "Was ist zu ändern? (für Zurückgeben)", key=f"note-{item.id}", max_chars=NOTE_MAX
            )
            if c2.button("Zurückgeben", key=f"return-{item.id}"):
                web_session.act(
                    lambda i=item.id, n=note: service.send_back(db, user, i, n),
                    f"Meldung Nr. {item.id} ist zur Überarbeitung zurückgegeben.",
                )


def listing() -> None:
    found = service.desk(db, user, st.session_state.get("news-desk-page") or 1)
    items = found.items
    st.subheader(
        "Alle Meldungen"
        if office
        else f"Meldungen von {plain(names.get(user.municipality_ags or '', ''))}"
    )
    if not items:
        st.write("Noch keine Meldungen.")
    if found.pages > 1:
        st.selectbox(
            f"Seite ({de_int(found.total)} Meldungen, je 50)",
            range(1, found.pages + 1),
            format_func=lambda n: f"Seite {n} von {found.pages}",
            placeholder="Seite wählen",
            key="news-desk-page",
        )
    for item in items:
        st.page_link(
            PAGE,
            label=plain(f"{item.title} · {item.state_label}"),
            query_params={DETAIL_KEY: str(item.id)},
        )
        st.caption(
            plain(
                f"{service.place_label(alliance, item.municipality_ags)} · geändert "
                f"{service.when(item.updated_at)}"
            )
        )


def edit(item) -> None:
    if st.button("← Alle Meldungen"):
        st.query_params.clear()
        st.rerun()
    st.title(plain(f"Meldung Nr. {item.id}: {item.title}"))
    st.caption(
        plain(
            f"{item.state_label} · {service.place_label(alliance, item.municipality_ags)} · "
            f"Herausgeber: {service.publisher(alliance, item)}"
        )
    )
    if item.review_note and item.state is State.DRAFT:
        st.warning(plain(f"Zurückgegeben von der Geschäftsstelle: {item.review_note}"))
    if service.is_public(item):
        st.page_link(
            PUBLIC, label="Öffentliche Ansicht öffnen", query_params={DETAIL_KEY: str(item.id)}
        )
    elif item.state is State.PUBLISHED:
        st.info(f"Erscheint ab {service.when(item.visible_from)}.")
    if (
        office
        and item.state is State.SUBMITTED
        and st.button("Freigeben", key=f"approve-{item.id}", type="primary")
    ):
        web_session.act(
            lambda: service.approve(db, user, item.id),
            f"Meldung Nr. {item.id} ist freigegeben und veröffentlicht.",
        )
    if item.state is State.PUBLISHED and not office and review:
        st.caption(
            "Eine Änderung geht erneut zur Freigabe; bis dahin ist die Meldung nicht öffentlich."
        )
    with st.expander("Vorschau, wie die Meldung erscheint", expanded=item.state is State.SUBMITTED):
        if item.teaser:
            st.markdown(f"**{plain(item.teaser)}**")
        if item.body:
            st.html(to_html(item.body))
    form(item)
    if item.state in (State.PUBLISHED, State.SUBMITTED) and st.button("Meldung zurückziehen"):
        web_session.act(
            lambda: service.withdraw(db, user, item.id),
            f"Meldung Nr. {item.id} ist zurückgezogen.",
        )


if chosen:
    try:
        found = service.get(db, int(chosen)) if chosen.isdigit() and len(chosen) < 12 else None
    except DomainError:
        found = None
    if found is None or not service.may_edit(user, found):
        st.title("Neuigkeiten schreiben")
        st.error(f"Eine Meldung Nr. {plain(chosen)}, die Sie bearbeiten dürfen, gibt es nicht.")
        if st.button("← Alle Meldungen"):
            st.query_params.clear()
            st.rerun()
    else:
        edit(found)
else:
    st.title("Neuigkeiten schreiben")
    if office:
        st.write(
            "Meldungen der Geschäftsstelle erscheinen sofort (oder ab dem gewählten Zeitpunkt). "
            + ("Meldungen der Gemeinden warten auf Ihre Freigabe." if review else "")
        )
        queue()
    elif review:
        st.write(
            "Ihre Meldungen erscheinen, sobald die Geschäftsstelle sie freigegeben hat. "
            "Öffentlich steht Ihre Gemeinde als Herausgeber, nicht Ihr Name."
        )
    st.subheader("Neue Meldung")
    form()
    listing()
