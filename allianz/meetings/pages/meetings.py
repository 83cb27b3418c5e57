"""Sitzungen & Termine: the alliance's meetings and public events with agenda and minutes;
invited members answer and comment on draft minutes; calendars to subscribe to."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from allianz import auth, maps, web_session
from allianz.errors import DomainError
from allianz.formatting import de_date, de_datetime
from allianz.meetings import ical, minutes, service, targets
from allianz.meetings.model import ANSWERS, KINDS, LINK_KINDS
from allianz.ui import german_table, plain, user_text

PAGE = "allianz/meetings/pages/meetings.py"
HELD = ("held", "commenting", "released")
user, alliance, db = web_session.open_page("page.meetings")
chosen = web_session.detail_key("sitzung")
now = datetime.now(UTC)


def _ics(meeting) -> bytes:
    return ical.calendar([meeting], alliance, web_session.base_url(), name=meeting.title)


def _agenda(meeting) -> None:
    st.subheader("Tagesordnung")
    if not meeting.items:
        st.write("Die Tagesordnung folgt.")
    for item in meeting.items:
        marker = "" if item.public else " (nichtöffentlich)"
        st.markdown(f"**TOP {item.position}: {plain(item.title)}**{marker}")
        for link in item.links:
            page = targets.PAGES.get(link.kind)
            if page:
                st.page_link(
                    page[0],
                    label=plain(f"{LINK_KINDS[link.kind]}: {link.label}"),
                    query_params={page[1]: link.target},
                )
            else:
                st.caption(plain(f"{LINK_KINDS[link.kind]}: {link.label}"))
        if item.result or item.resolution:
            st.markdown(f"Ergebnis: {plain(item.result) or '–'}")
            if item.resolution:
                user_text(f"Beschluss: {item.resolution}")


def _answer(meeting) -> None:
    mine = service.my_answer(db, user, meeting.id)
    if mine is False or meeting.state not in ("planned", "invited"):
        return
    st.subheader("Ihre Antwort")
    st.write(f"Bisher: **{ANSWERS.get(mine, 'noch nicht geantwortet')}**")
    cols = st.columns(3)
    for col, (code, label) in zip(cols, ANSWERS.items(), strict=True):
        if col.button(label, key=f"answer-{code}", disabled=mine == code, width="stretch"):
            web_session.act(
                lambda c=code: service.answer(db, user, meeting.id, c),
                f"Ihre Antwort ist gespeichert: {label}.",
            )


def _comments(meeting) -> None:
    if meeting.state not in ("commenting", "released"):
        return
    remarks = service.comments(db, user, meeting.id)
    if not service.sees_internal(db, user, meeting):
        return
    st.subheader("Anmerkungen zum Protokoll")
    if meeting.state == "commenting":
        st.caption(f"Anmerkungen bis {de_date(meeting.comments_until)}.")
    for remark in remarks:
        st.markdown(f"**{plain(remark.author)}**, {de_datetime(remark.created_at)}")
        user_text(remark.body)
    if not remarks:
        st.write("Noch keine Anmerkungen.")
    if meeting.state == "commenting" and user.signed_in:
        with st.form(web_session.form_key(f"comment-{meeting.id}")):
            body = st.text_area("Ihre Anmerkung", max_chars=service.TEXT_MAX)
            if st.form_submit_button("Anmerkung senden"):
                token = web_session.form_token("meeting-comment", meeting.id, body)
                web_session.act(
                    lambda: service.comment(db, user, meeting.id, body, token),
                    "Ihre Anmerkung ist gespeichert.",
                    form=f"comment-{meeting.id}",
                )


def detail(meeting) -> None:
    if st.button("← Alle Sitzungen und Termine"):
        st.query_params.clear()
        st.rerun()
    st.title(plain(meeting.title))
    st.caption(f"{meeting.kind_label} · {meeting.state_label}")
    if meeting.state == "cancelled":
        st.warning(plain(f"Abgesagt: {meeting.cancel_reason}"))
    st.markdown(f"**Termin:** {service.when(meeting)}")
    if meeting.place:
        st.markdown(f"**Ort:** {plain(meeting.place)}")
    if meeting.lat is not None and meeting.lon is not None:
        around = (meeting.lon - 0.01, meeting.lat - 0.006, meeting.lon + 0.01, meeting.lat + 0.006)
        fmap = maps.base_map(alliance, around)
        maps.add_points(
            fmap,
            [maps.MapPoint(meeting.lat, meeting.lon, meeting.place or meeting.title)],
            layer_name="Ort der Sitzung",
        )
        maps.show(fmap, key=f"meeting-map-{meeting.id}", height=260, returned_objects=())
    if meeting.online_url:
        st.markdown(f"**Online:** {plain(meeting.online_url)}")
    if meeting.organiser:
        st.markdown(f"**Einladung durch:** {plain(meeting.organiser)}")
    st.download_button(
        "Zum Kalender hinzufügen (.ics)",
        _ics(meeting),
        file_name=f"termin-{meeting.id}.ics",
        mime="text/calendar",
        on_click="ignore",
    )
    _answer(meeting)
    _agenda(meeting)
    docs = service.documents(db, user, meeting.id)
    if docs:
        st.subheader("Unterlagen")
        for doc in docs:
            st.download_button(
                f"{doc.file_title} ({doc.size // 1024 + 1} KB)",
                web_session.deferred(lambda conn, d=doc.id: service.document(conn, user, d)[1]),
                file_name=doc.file_title,
                mime=doc.mime_type,
                on_click="ignore",
                key=f"doc-{doc.id}",
            )
    if meeting.minutes or meeting.minutes_internal:
        st.subheader("Protokoll" + ("" if meeting.state == "released" else " (Entwurf)"))
        if meeting.minutes:
            user_text(meeting.minutes)
        if meeting.minutes_internal:
            st.markdown("**Nichtöffentlicher Teil**")
            user_text(meeting.minutes_internal)
        for col, (fmt, label) in zip(
            st.columns(2),
            (("pdf", "Protokoll als PDF"), ("md", "Protokoll als Markdown")),
            strict=True,
        ):
            col.download_button(
                label,
                web_session.deferred(
                    lambda conn, f=fmt: minutes.build(conn, user, alliance, meeting.id, f)
                ),
                file_name=minutes.file_name(meeting, fmt),
                mime=minutes.FORMATS[fmt],
                on_click="ignore",
                key=f"minutes-{fmt}",
            )
    _comments(meeting)
    people = service.participants(db, user, meeting.id)
    if people:
        st.subheader("Eingeladen")
        st.dataframe(
            german_table(
                pd.DataFrame(
                    [
                        {"Name": p.display_name, "Antwort": ANSWERS.get(p.answer, "offen")}
                        | ({"anwesend": p.attended} if meeting.state in HELD else {})
                        for p in people
                    ]
                )
            ),
            hide_index=True,
        )


if chosen:
    try:
        shown = service.get(db, user, int(chosen) if chosen.isdigit() else -1)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        if st.button("← Alle Sitzungen und Termine"):
            st.query_params.clear()
            st.rerun()
        st.stop()
    detail(shown)
    st.stop()

st.title("Sitzungen & Termine")
st.write(
    "Die Sitzungen der Allianz, Netzwerkveranstaltungen und öffentlichen Termine. "
    "Tagesordnungen stehen hier vor der Sitzung, freigegebene Protokolle danach."
)
upcoming_tab, past_tab, subscribe_tab = st.tabs(
    ["Kommende Termine", "Vergangene Sitzungen", "Kalender abonnieren"],
    key="meetings-tabs",
    on_change="rerun",
)


def _list(meetings) -> None:
    """One entry per meeting: the title as the link (short enough for a phone), date, time and
    kind in the line below."""
    if not meetings:
        st.write("Keine Termine.")
    for meeting in meetings:
        st.page_link(
            PAGE,
            label=plain(("Abgesagt: " if meeting.state == "cancelled" else "") + meeting.title),
            query_params={"sitzung": str(meeting.id)},
        )
        st.caption(f"{service.when(meeting)} · {meeting.kind_label}")


with upcoming_tab:
    kinds = st.multiselect("Art", list(KINDS), format_func=KINDS.get, placeholder="alle Arten")
    _list(
        service.upcoming(db, user, now, limit=50)
        if not kinds
        else [m for m in service.upcoming(db, user, now, limit=50) if m.kind in kinds]
    )
with past_tab:
    kinds = st.multiselect(
        "Art", list(KINDS), format_func=KINDS.get, placeholder="alle Arten", key="past-kinds"
    )
    past = service.listing(db, user, start=now - timedelta(days=3 * 366), end=now, kinds=kinds)
    _list(list(reversed([m for m in past if m.ends_at < now])))
with subscribe_tab:
    base = web_session.base_url()
    st.markdown(
        "Mit einem Kalender-Abo erscheinen die öffentlichen Termine der Allianz in Ihrem "
        "Kalender (Outlook, Google Kalender, Apple Kalender, Thunderbird) und bleiben aktuell. "
        "Kopieren Sie die Adresse und fügen Sie sie in Ihrem Kalender unter "
        "„Kalender abonnieren“ bzw. „Aus dem Internet hinzufügen“ ein — nicht herunterladen."
    )
    c1, c2 = st.columns(2)
    feed_kind = c1.selectbox(
        "Nur diese Art", [None, *KINDS], format_func=lambda k: "alle Arten" if k is None else
        KINDS[k], placeholder="alle Arten", key="feed-kind",
    )  # fmt: skip
    names = {m.ags: m.name for m in alliance.municipalities}
    feed_place = c2.selectbox(
        "Nur diese Gemeinde", [None, *names], format_func=lambda a: "alle Gemeinden" if a is None
        else names[a], placeholder="alle Gemeinden", key="feed-place",
    )  # fmt: skip
    query = "&".join(
        f"{key}={value}" for key, value in (("art", feed_kind), ("gemeinde", feed_place)) if value
    )
    st.code(f"{base}/feeds/termine.ics" + (f"?{query}" if query else ""), language=None)
    if auth.can(user.role, "meetings.feed") and user.signed_in and user.id is not None:
        st.markdown(
            "**Ihr persönlicher Kalender** (mit den nichtöffentlichen Sitzungen, zu "
            "denen Sie eingeladen sind). Geben Sie diese Adresse nicht weiter."
        )
        created = service.feed_created(db, user)
        fresh = st.session_state.pop("_fresh_feed", None)
        if fresh:
            st.code(f"{base}/feeds/termine/{fresh}.ics", language=None)
            st.caption("Diese Adresse wird nur jetzt angezeigt.")
        elif created:
            st.write(f"Ein persönlicher Link besteht seit {de_datetime(created)}.")
        c1, c2 = st.columns(2)
        if c1.button("Neuen persönlichen Link erzeugen"):
            st.session_state["_fresh_feed"] = service.new_feed(db, user)
            web_session.saved("Neuer Link erzeugt; ein älterer gilt nicht mehr.")
        if created and c2.button("Persönlichen Link widerrufen"):
            service.revoke_feed(db, user)
            web_session.saved("Ihr persönlicher Kalender-Link gilt nicht mehr.")
