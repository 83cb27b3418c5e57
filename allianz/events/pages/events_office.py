"""Veranstaltungen verwalten: the clubs' submissions of the user's municipality (the office:
all) to approve or decline with a reason; events entered by the staff (published at once),
changed or cancelled."""

import streamlit as st

from allianz import clock, web_session
from allianz.errors import DomainError
from allianz.events import presentation, service
from allianz.events.model import REASON_MAX, State
from allianz.formatting import de_datetime, de_int
from allianz.municipalities import service as municipalities
from allianz.ui import plain

PAGE = "allianz/events/pages/events_office.py"
PUBLIC = "allianz/events/pages/events.py"
user, alliance, db = web_session.open_page("page.events_office")
now = clock.now()
names = {m.ags: m.name for m in alliance.municipalities}
labels = service.categories(alliance)
own = {user.municipality_ags: names[user.municipality_ags]} if user.municipality_ags else names
office = user.municipality_ags is None
QUEUE_SHOWN = 20

st.title("Veranstaltungen verwalten")
tabs = st.tabs(
    ["Gemeldete Veranstaltungen", "Veranstaltung eintragen", "Veröffentlichte Veranstaltungen"],
    key="events-office-tabs",
    on_change="rerun",
)


def queue() -> None:
    waiting = service.moderation_queue(db, user)
    st.subheader(f"Warten auf Freigabe ({de_int(len(waiting))})")
    if not waiting:
        st.info("Keine Meldungen warten auf Freigabe.")
    if len(waiting) > QUEUE_SHOWN:
        st.caption(
            f"Die ältesten {QUEUE_SHOWN} Meldungen; die übrigen erscheinen, sobald diese "
            "bearbeitet sind."
        )
    for event in waiting[:QUEUE_SHOWN]:
        with st.container(border=True):
            st.markdown(f"**{plain(event.title)}** · Nr. {event.id} · eingegangen "
                        f"{de_datetime(event.created_at)} Uhr")  # fmt: skip
            presentation.facts_table(presentation.facts(event, names, labels))
            presentation.description(event)
            address = service.submitter_address(db, user, event.id)
            st.caption(plain(f"Kontakt (nicht öffentlich): {address}") if address else
                       "Keine Kontaktadresse (gelöscht).")  # fmt: skip
            c1, c2 = st.columns([1, 2])
            if c1.button("Freigeben", key=f"approve-{event.id}", type="primary"):
                web_session.act(
                    lambda e=event.id: service.approve(db, user, e, web_session.base_url()),
                    f"Die Veranstaltung Nr. {event.id} ist veröffentlicht.",
                )
            reason = c2.text_input("Grund der Ablehnung (geht per E-Mail an den Verein)",
                                   max_chars=REASON_MAX, key=f"reason-{event.id}")  # fmt: skip
            if c2.button("Ablehnen", key=f"decline-{event.id}"):
                web_session.act(
                    lambda e=event.id, r=reason: service.decline(db, user, e, r),
                    f"Die Veranstaltung Nr. {event.id} ist abgelehnt.",
                )


def create() -> None:
    st.subheader("Veranstaltung eintragen")
    st.caption("Veranstaltungen der Gemeinde oder der Geschäftsstelle sind sofort veröffentlicht.")
    form = "event-new"
    key = web_session.form_key(form)
    presentation.point_picker(alliance, f"{key}-point")
    with st.form(key):
        make_draft = presentation.event_fields(alliance, key, own, alliance_wide=office)
        sent = st.form_submit_button("Veranstaltung veröffentlichen", type="primary")
    if sent:
        draft = make_draft()
        token = web_session.form_token(form, draft)
        web_session.act(
            lambda: service.create(db, alliance, municipalities.areas(db), user, draft, token),
            lambda e: f"Die Veranstaltung „{plain(e.title)}“ ist veröffentlicht (Nr. {e.id}).",
            form=form,
        )


def published() -> None:
    shown = service.managed(db, user, now)
    st.subheader(f"Kommende veröffentlichte Veranstaltungen ({de_int(len(shown))})")
    if not shown:
        st.info("Noch keine Veranstaltungen.")
        return
    by_id = {e.id: e for e in shown}
    picked = st.selectbox(
        "Veranstaltung",
        list(by_id),
        format_func=lambda i: (
            f"Nr. {i}: {by_id[i].title} ({service.event_when(by_id[i])}, {by_id[i].state_label})"
        ),
        index=None,
        placeholder="Veranstaltung wählen",
        key="office-event",
    )
    if picked is None:
        return
    event = by_id[picked]
    st.page_link(PUBLIC, label="Öffentliche Seite", query_params={service.DETAIL_KEY: str(picked)})
    if event.state is State.CANCELLED:
        st.info(plain(f"Abgesagt. {event.cancel_reason}"))
        return
    with st.expander("Ändern"):
        form = f"event-edit-{picked}"
        key = web_session.form_key(form)
        with st.form(key):
            make_draft = presentation.event_fields(
                alliance, key, own, service.draft_of(event), alliance_wide=office
            )
            sent = st.form_submit_button("Änderungen speichern")
        if sent:
            draft = make_draft()
            web_session.act(
                lambda: service.update(db, alliance, municipalities.areas(db), user, picked,
                                       draft),
                "Die Veranstaltung ist geändert.",
                form=form,
            )  # fmt: skip
    with st.expander("Absagen"):
        note = st.text_input("Hinweis zur Absage (öffentlich)", max_chars=REASON_MAX,
                             key=f"cancel-note-{picked}")  # fmt: skip
        if st.button("Veranstaltung absagen", key=f"cancel-{picked}"):
            web_session.act(
                lambda: service.cancel(db, user, picked, note),
                "Die Veranstaltung ist als abgesagt markiert.",
            )


try:
    for tab, build in zip(tabs, (queue, create, published), strict=True):
        if tab.open:  # only the tab shown is built: a district's lists are long
            with tab:
                build()
except DomainError as exc:
    st.error(" ".join(exc.errors))
