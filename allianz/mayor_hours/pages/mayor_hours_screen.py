"""Sprechstunde: Leinwand — the presentation view for a screen at a hybrid citizens' meeting:
the current question and its answer in large type, nothing else; refreshes itself."""

import streamlit as st

from allianz import web_session
from allianz.formatting import de_int
from allianz.mayor_hours import service
from allianz.mayor_hours.model import ANSWER_KINDS, State
from allianz.ui import plain

user, alliance, db = web_session.open_page("page.mayor_hours_screen")
chosen = web_session.detail_key("sprechstunde")

# Only this page: no sidebar, no header, large type (our own CSS, no user text in it).
st.html(
    "<style>"
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "header[data-testid='stHeader'] {display: none !important;}"
    ".st-key-screen p {font-size: 2.2rem; line-height: 1.3;}"
    ".st-key-screen h1 {font-size: 3rem;}"
    "</style>"
)


def screen(hour_id: int) -> None:
    with web_session.connection() as conn:
        hour = service.get_hour(conn, hour_id)
        question = service.current(conn, hour)
    with st.container(key="screen"):
        st.title(plain(hour.host_title))
        if question is None:
            st.markdown("Noch keine Frage – stellen Sie Ihre Frage in der App.")
            return
        st.markdown(
            f"**Frage von {plain(question.author)}** ({de_int(question.supports)} Unterstützungen)"
        )
        st.markdown(plain(question.body))
        if question.state is State.ANSWERED:
            kind = ANSWER_KINDS.get(question.answer_kind or "text", "")
            st.markdown(f"**Antwort** ({kind})")
            if question.answer:
                st.markdown(plain(question.answer))


found = service.hour_at(db, chosen) if chosen else None
if found is None:
    st.title("Sprechstunde: Leinwand")
    st.write("Bitte öffnen Sie die Leinwand über die Seite der Sprechstunde.")
    st.page_link("allianz/mayor_hours/pages/mayor_hours.py", label="Zu den Sprechstunden")
else:
    st.fragment(screen, run_every=service.refresh_seconds(alliance))(found.id)
