"""Frag den Bürgermeister: the consultation hours; ask and support questions, read the answers
live (the list refreshes itself every few seconds), the moderation's counts, the transcript."""

from datetime import UTC, datetime

import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import de_date, de_datetime, de_int
from allianz.mayor_hours import service, transcript
from allianz.mayor_hours.model import (
    ANSWER_KINDS,
    BACKGROUND_MAX,
    BODY_MAX,
    HOLD_REASONS,
    NAME_MAX,
    State,
)
from allianz.mayor_hours.presentation import hour_links, hour_or_list
from allianz.ui import plain, user_text
from db.connection import default_path

PAGE = "allianz/mayor_hours/pages/mayor_hours.py"
SCREEN = "allianz/mayor_hours/pages/mayor_hours_screen.py"
FEED = "/feeds/sprechstunden.ics"
QUEUE_SHARED_SECONDS = 1
user, alliance, db = web_session.open_page("page.mayor_hours")
chosen = web_session.detail_key("sprechstunde")
now = datetime.now(UTC)
refresh = service.refresh_seconds(alliance)


def code_of_conduct() -> None:
    with st.expander("Unser Moderationskodex"):
        st.write(
            "Jede Frage wird vor der Veröffentlichung gelesen. Zurückgehalten wird eine Frage "
            "nur aus einem dieser Gründe; wie viele Fragen aus welchem Grund zurückgehalten "
            "wurden, steht bei jeder Sprechstunde. Wer eine E-Mail-Adresse angibt, erfährt den "
            "Grund."
        )
        for label in HOLD_REASONS.values():
            st.markdown(f"- {label}")


def overview() -> None:
    st.title("Frag den Bürgermeister")
    st.write(
        "In den Sprechstunden beantworten die Bürgermeisterinnen und Bürgermeister und der "
        "Sprecher der Allianz Ihre Fragen live. Fragen können Sie schon ab der Ankündigung "
        "stellen; unterstützen Sie die Fragen, die Ihnen wichtig sind."
    )
    code_of_conduct()
    with st.expander("Sprechstunden im Kalender abonnieren"):
        st.markdown(
            "Mit einem Kalender-Abo erscheinen alle angekündigten Sprechstunden in Ihrem "
            "Kalender (Outlook, Google Kalender, Apple Kalender, Thunderbird). Kopieren Sie die "
            "Adresse und fügen Sie sie unter „Kalender abonnieren“ bzw. „Aus dem Internet "
            "hinzufügen“ ein."
        )
        st.code(web_session.base_url() + FEED, language=None)
    hours = service.hours(db)
    if not hours:
        st.info("Zurzeit ist keine Sprechstunde angekündigt.")
    hour_links(hours, now, PAGE)


def _support(question_id: int):
    """On a connection of its own: the button may sit in the live list, a fragment whose
    reruns do not have the page's connection."""
    with web_session.connection() as conn:
        return service.support(conn, question_id, web_session.visitor())


def question_card(question, live: bool, where: str = "support") -> None:
    with st.container(border=True):
        st.markdown(
            f"**{plain(question.author)}** · {de_int(question.supports)} Unterstützungen · "
            f"{de_datetime(question.created_at)} Uhr"
        )
        user_text(question.body)
        if question.background:
            st.caption(plain(f"Hintergrund: {question.background}"))
        if question.state is State.ANSWERED:
            kind = ANSWER_KINDS.get(question.answer_kind or "text", "")
            st.markdown(f"**Antwort** ({kind}, {de_datetime(question.answered_at)} Uhr):")
            if question.answer:
                user_text(question.answer)
        if question.suggestion_ref:
            st.caption(
                plain(f"Weitergegeben als Hinweis {question.suggestion_ref} im Bürgermelder")
            )
        if (
            question.state is State.PUBLISHED
            and live
            and st.button("Unterstützen", key=f"{where}-{question.id}")
        ):
            web_session.act(
                lambda q=question.id: _support(q), "Danke, Ihre Unterstützung ist gezählt."
            )


@st.cache_data(ttl=QUEUE_SHARED_SECONDS, show_spinner=False, max_entries=50)
def _public_queue(database: str, hour_id: int) -> list:
    """Public data, the same for every viewer: one indexed query serves all viewers of an hour
    for a second (opening the connection costs more than the query). `database` (the file)
    is part of the key."""
    with web_session.connection() as conn:
        return service.public_queue(conn, hour_id)


def live_list(hour_id: int, live: bool) -> None:
    """The public questions, refreshed every few seconds."""
    queue = _public_queue(str(default_path(alliance.slug)), hour_id)
    open_ones = [q for q in queue if q.state is State.PUBLISHED]
    answered = [q for q in queue if q.state is State.ANSWERED]
    st.subheader(f"Offene Fragen ({de_int(len(open_ones))})")
    if not open_ones:
        st.write("Keine offenen Fragen.")
    for question in open_ones:
        question_card(question, live)
    st.subheader(f"Beantwortet ({de_int(len(answered))})")
    if not answered:
        st.write("Noch keine Antworten.")
    for question in answered:
        question_card(question, live=False)


def moderation_counts(hour) -> None:
    counts = service.counts(db, hour.id)
    st.subheader("Moderation in Zahlen")
    cols = st.columns(4)
    cols[0].metric("Eingegangen", de_int(counts.received))
    cols[1].metric("Veröffentlicht", de_int(counts.published))
    cols[2].metric("Zusammengeführt", de_int(counts.merged))
    cols[3].metric("Zurückgehalten", de_int(counts.held))
    held = [f"{HOLD_REASONS[c]}: {de_int(n)}" for c, n in counts.held_by_reason.items() if n]
    if held:
        st.markdown("Zurückgehalten nach Grund: " + "; ".join(held))
    if counts.waiting:
        st.caption(f"{de_int(counts.waiting)} Fragen warten noch auf die Moderation.")


def ask_form(hour) -> None:
    st.subheader("Ihre Frage")
    form = f"ask-{hour.id}"
    name = web_session.form_key(form)
    similar_key = f"similar-{hour.id}"
    with st.form(name):
        body = st.text_area(f"Frage (höchstens {BODY_MAX} Zeichen)", max_chars=BODY_MAX)
        background = st.text_area("Hintergrund (freiwillig)", max_chars=BACKGROUND_MAX, height=100)
        shown_name = st.text_input(
            "Angezeigter Name (freiwillig; leer lassen für „anonym“)", max_chars=NAME_MAX
        )
        email = st.text_input("E-Mail für eine Nachricht, wenn beantwortet (freiwillig)")
        consent = st.checkbox(
            "Ich willige ein, dass meine E-Mail-Adresse für diese Nachricht gespeichert wird. "
            "Sie wird nicht veröffentlicht."
        )
        anyway = False
        if st.session_state.get(similar_key):
            anyway = st.checkbox("Keine der ähnlichen Fragen passt – meine Frage neu stellen")
        sent = st.form_submit_button("Frage senden")
    if sent:
        similar = service.similar(db, hour.id, body)
        if similar and not anyway:
            st.session_state[similar_key] = [q.id for q in similar]
            st.rerun()
        token = web_session.form_token("mayor-ask", hour.id, body, background, shown_name, email)
        draft = service.QuestionDraft(
            body, background, shown_name, email, consent, web_session.visitor(), token
        )

        def done(question) -> str:
            st.session_state.pop(similar_key, None)
            return (
                f"Danke! Ihre Frage (Nr. {question.id}) ist eingegangen und wird vor der "
                "Veröffentlichung gelesen."
            )

        web_session.act(lambda: service.ask(db, hour.id, draft), done, form=form)
    offered = st.session_state.get(similar_key)
    if offered:
        st.warning(
            "Ähnliche Fragen gibt es schon. Unterstützen Sie eine davon – oder stellen Sie Ihre "
            "Frage trotzdem neu (Häkchen im Formular setzen und erneut senden)."
        )
        for question_id in offered:
            try:
                question = service.get_question(db, question_id)
            except DomainError:
                continue
            question_card(question, question.state is State.PUBLISHED, "similar-support")


def downloads(hour) -> None:
    st.subheader("Protokoll")
    cols = st.columns(2)
    for col, (fmt, label, mime) in zip(
        cols,
        (
            ("pdf", "Protokoll als PDF", "application/pdf"),
            ("md", "Protokoll als Markdown", "text/markdown"),
        ),
        strict=True,
    ):
        col.download_button(
            label,
            web_session.deferred(lambda conn, f=fmt: transcript.build(conn, alliance, hour.id, f)),
            file_name=transcript.file_name(hour, fmt),
            mime=mime,
            on_click="ignore",
            key=f"transcript-{fmt}",
        )


def detail(hour) -> None:
    st.title(plain(f"Sprechstunde: {hour.host_title}"))
    if st.button("← Alle Sprechstunden"):
        st.query_params.clear()
        st.rerun()
    current = service.phase(hour, now)
    st.caption(plain(f"{service.when(hour)} · {service.PHASE_LABELS[current]}"))
    if hour.topic:
        st.markdown(f"**Thema:** {plain(hour.topic)}")
    st.page_link(
        SCREEN, label="Leinwand-Ansicht öffnen", query_params={"sprechstunde": str(hour.id)}
    )
    if current == "ended":
        st.info(
            "Die Sprechstunde ist beendet. Offene Fragen werden bis "
            f"{de_date(service.answer_due(hour).isoformat())} schriftlich beantwortet."
        )
    else:
        ask_form(hour)
        st.caption(f"Die Fragen aktualisieren sich alle {refresh} Sekunden.")
    live = current != "ended"
    st.fragment(live_list, run_every=refresh if live else None)(hour.id, True)
    moderation_counts(hour)
    code_of_conduct()
    downloads(hour)


hour_or_list(db, chosen, "Frag den Bürgermeister", detail, overview)
