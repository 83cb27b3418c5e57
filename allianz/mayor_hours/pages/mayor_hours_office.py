"""Sprechstunden moderieren: announce hours; approve, merge or hold back questions with a reason
of the published code; answer live (in text or "mündlich beantwortet"); put a question on the
screen; after the hour answer in writing or turn an open question into a suggestion."""

from datetime import UTC, date, datetime, time

import streamlit as st

from allianz import web_session
from allianz.formatting import de_date, de_datetime, de_int
from allianz.mayor_hours import service
from allianz.mayor_hours.model import ANSWER_MAX, HOLD_REASONS, HOST_KINDS, State
from allianz.mayor_hours.presentation import hour_links, hour_or_list
from allianz.municipalities import service as municipalities
from allianz.ui import plain, user_text

PAGE = "allianz/mayor_hours/pages/mayor_hours_office.py"
PUBLIC = "allianz/mayor_hours/pages/mayor_hours.py"
SCREEN = "allianz/mayor_hours/pages/mayor_hours_screen.py"
user, alliance, db = web_session.open_page("page.mayor_hours_office")
chosen = web_session.detail_key("sprechstunde")
now = datetime.now(UTC)
names = {m.ags: m.name for m in alliance.municipalities}
ARRIVALS_SECONDS = 5


def create_form() -> None:
    st.subheader("Sprechstunde ankündigen")
    form = "mayor-hour-new"
    with st.form(web_session.form_key(form)):
        kind = st.selectbox(
            "Wer hält die Sprechstunde?",
            list(HOST_KINDS),
            format_func=HOST_KINDS.get,
            index=None,
            placeholder="Bitte wählen",
        )
        own = [user.municipality_ags] if user.municipality_ags else list(names)
        ags = st.selectbox(
            "Gemeinde (bei Bürgermeister-Sprechstunden)",
            own,
            format_func=names.get,
            index=0 if user.municipality_ags else None,
            placeholder="Gemeinde wählen",
        )
        host = st.text_input("Titel, z. B. „Bürgermeisterin Muster, Borsdorf“", max_chars=120)
        topic = st.text_input("Thema (freiwillig)", max_chars=200)
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Datum", value=date.today(), format="DD.MM.YYYY")
        begin = c2.time_input("Beginn", value=time(18, 0), step=900)
        end = c3.time_input("Ende", value=time(19, 0), step=900)
        if st.form_submit_button("Sprechstunde ankündigen"):
            draft = service.HourDraft(kind or "", ags, host, day, begin, end, topic)
            web_session.act(
                lambda: service.create_hour(db, alliance, user, draft),
                lambda h: f"Die Sprechstunde ist angekündigt ({service.when(h)}).",
                form=form,
            )


def overview() -> None:
    st.title("Sprechstunden moderieren")
    mine = [h for h in service.hours(db) if service.may_moderate(user, h)]
    if not mine:
        st.info("Für Sie ist keine Sprechstunde angekündigt.")
    hour_links(mine, now, PAGE)
    create_form()


def moderation(hour, live: bool) -> None:
    waiting = service.moderation_queue(db, user, hour.id)
    st.subheader(f"Neue Fragen ({de_int(len(waiting))})")
    shown = tuple(q.id for q in waiting)
    st.fragment(arrivals, run_every=ARRIVALS_SECONDS if live else None)(hour.id, shown)
    public = [q for q in service.public_queue(db, hour.id)]
    for question in waiting:
        with st.container(border=True):
            st.markdown(
                f"Nr. {question.id} · **{plain(question.author)}** · "
                f"{de_datetime(question.created_at)} Uhr"
            )
            user_text(question.body)
            if question.background:
                st.caption(plain(f"Hintergrund: {question.background}"))
            if service.private_email(db, user, question.id):
                st.caption("Fragende Person möchte per E-Mail benachrichtigt werden.")
            c1, c2, c3 = st.columns(3)
            if c1.button("Freigeben", key=f"approve-{question.id}"):
                web_session.act(
                    lambda q=question.id: service.approve(db, user, q),
                    f"Frage Nr. {question.id} ist veröffentlicht.",
                )
            reason = c2.selectbox(
                "Grund nach Moderationskodex",
                list(HOLD_REASONS),
                format_func=HOLD_REASONS.get,
                index=None,
                placeholder="Grund wählen",
                key=f"reason-{question.id}",
            )
            if c2.button("Zurückhalten", key=f"hold-{question.id}"):
                web_session.act(
                    lambda q=question.id, r=reason: service.hold(db, user, q, r or ""),
                    f"Frage Nr. {question.id} ist zurückgehalten.",
                )
            target = c3.selectbox(
                "Gleiche Frage",
                [q.id for q in public],
                format_func=lambda i: next(
                    f"Nr. {q.id}: {q.body[:60]}" for q in public if q.id == i
                ),
                index=None,
                placeholder="Frage wählen",
                key=f"target-{question.id}",
            )
            if c3.button("Zusammenführen", key=f"merge-{question.id}"):
                web_session.act(
                    lambda q=question.id, t=target: service.merge(db, user, q, t or 0),
                    f"Frage Nr. {question.id} ist zusammengeführt.",
                )


def answering(hour, ended: bool) -> None:
    queue = service.public_queue(db, hour.id)
    open_ones = [q for q in queue if q.state is State.PUBLISHED]
    st.subheader(f"Warteschlange nach Unterstützung ({de_int(len(open_ones))})")
    if ended:
        st.caption(
            "Offene Fragen bitte bis "
            f"{de_date(service.answer_due(hour).isoformat())} schriftlich beantworten."
        )
    for question in open_ones:
        with st.container(border=True):
            late = " · **Antwortfrist überschritten**" if service.overdue(hour, question) else ""
            st.markdown(
                f"Nr. {question.id} · **{plain(question.author)}** · "
                f"{de_int(question.supports)} Unterstützungen{late}"
            )
            user_text(question.body)
            if question.background:
                st.caption(plain(f"Hintergrund: {question.background}"))
            text = st.text_area(
                "Antwort", max_chars=ANSWER_MAX, key=f"answer-text-{question.id}", height=100
            )
            c1, c2, c3, c4 = st.columns(4)
            if c1.button("Antwort veröffentlichen", key=f"answer-{question.id}"):
                web_session.act(
                    lambda q=question.id, t=text: service.answer(db, user, q, t, "text"),
                    f"Frage Nr. {question.id} ist beantwortet.",
                )
            if c2.button("Mündlich beantwortet", key=f"oral-{question.id}"):
                web_session.act(
                    lambda q=question.id, t=text: service.answer(db, user, q, t, "oral"),
                    f"Frage Nr. {question.id} ist als mündlich beantwortet markiert.",
                )
            if c3.button("Auf die Leinwand", key=f"screen-{question.id}"):
                web_session.act(
                    lambda q=question.id: service.show_on_screen(db, user, q),
                    f"Frage Nr. {question.id} steht auf der Leinwand.",
                )
            if question.suggestion_ref:
                c4.markdown(f"Hinweis {plain(question.suggestion_ref)}")
            elif ended:
                to_suggestion(hour, question, c4)


def to_suggestion(hour, question, column) -> None:
    """A speaker's question belongs to no municipality: the moderator names the one that
    takes it up."""
    ags = hour.municipality_ags
    if not ags:
        ags = column.selectbox(
            "Gemeinde für den Hinweis",
            list(names),
            format_func=names.get,
            index=None,
            placeholder="Gemeinde wählen",
            key=f"suggest-place-{question.id}",
        )
    if column.button("Zum Hinweis machen", key=f"suggest-{question.id}"):
        web_session.act(
            lambda q=question.id, a=ags: service.to_suggestion(
                db, alliance, municipalities.areas(db), user, q, municipality_ags=a
            ),
            lambda ref: f"Die Frage ist jetzt der Hinweis {ref} im Bürgermelder.",
        )


def arrivals(hour_id: int, shown: tuple[int, ...]) -> None:
    """Checks every few seconds whether questions arrived since the page was drawn; the lists
    themselves stay put, so a half-typed answer or a chosen reason is not lost."""
    with web_session.connection() as conn:
        waiting = tuple(q.id for q in service.moderation_queue(conn, user, hour_id))
    new = [q for q in waiting if q not in shown]
    if new:
        st.info(f"{de_int(len(new))} neue Frage(n) eingegangen.")
    if st.button("Neue Fragen laden", key="reload", type="primary" if new else "secondary"):
        st.rerun(scope="app")


def detail(hour) -> None:
    st.title(plain(f"Sprechstunde: {hour.host_title}"))
    if st.button("← Alle Sprechstunden"):
        st.query_params.clear()
        st.rerun()
    current = service.phase(hour, now)
    st.caption(plain(f"{service.when(hour)} · {service.PHASE_LABELS[current]}"))
    if not service.may_moderate(user, hour):
        st.error(
            "Diese Sprechstunde moderieren die Geschäftsstelle und die Verwaltung der Gemeinde."
        )
        return
    query = {"sprechstunde": str(hour.id)}
    st.page_link(PUBLIC, label="Öffentliche Seite", query_params=query)
    st.page_link(SCREEN, label="Leinwand-Ansicht", query_params=query)
    counts = service.counts(db, hour.id)
    st.caption(
        f"Eingegangen {de_int(counts.received)} · veröffentlicht {de_int(counts.published)} · "
        f"beantwortet {de_int(counts.answered)} · zusammengeführt {de_int(counts.merged)} · "
        f"zurückgehalten {de_int(counts.held)}"
    )
    moderation(hour, current != "ended")
    answering(hour, current == "ended")


hour_or_list(db, chosen, "Sprechstunden moderieren", detail, overview)
