"""Sitzungen vorbereiten: the alliance office plans a meeting, builds its agenda with links,
invites, records attendance, results and resolutions, writes the minutes, lets the
participants comment and releases them."""

from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from allianz import web_session
from allianz.accounts import service as accounts
from allianz.auth import ROLE_LABELS, Role
from allianz.errors import DomainError
from allianz.formatting import BERLIN, de_datetime
from allianz.measures import service as measures
from allianz.meetings import service
from allianz.meetings.model import KINDS, LINK_KINDS, STATES, TRANSITIONS, WORKING_GROUPS
from allianz.ui import plain

PAGE = "allianz/meetings/pages/meetings.py"
user, alliance, db = web_session.open_page("page.meetings_office")
chosen = web_session.detail_key("sitzung")
names = {m.ags: m.name for m in alliance.municipalities}


def _meeting_form(current=None) -> None:
    key = web_session.form_key("meeting" if current is None else f"meeting-{current.id}")
    local = current.starts_at.astimezone(BERLIN) if current else None
    with st.form(key):
        kind = st.selectbox(
            "Art",
            list(KINDS),
            format_func=KINDS.get,
            index=list(KINDS).index(current.kind) if current else None,
            placeholder="Bitte wählen",
        )
        title = st.text_input("Titel", value=current.title if current else "", max_chars=200)
        group = st.text_input(
            "Arbeitskreis (nur bei Art „Arbeitskreis“)",
            value=current.working_group if current else "",
            placeholder=", ".join(WORKING_GROUPS),
        )
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Datum", value=local.date() if local else None, format="DD.MM.YYYY")
        begin = c2.time_input("Beginn", value=local.time() if local else time(18, 0), step=900)
        end = c3.time_input(
            "Ende",
            value=current.ends_at.astimezone(BERLIN).time() if current else time(20, 0),
            step=900,
        )
        place = st.text_input("Ort", value=current.place if current else "", max_chars=300)
        point = st.text_input(
            "Kartenpunkt (Breite, Länge; optional)",
            value=f"{current.lat}, {current.lon}" if current and current.lat is not None else "",
            placeholder="z. B. 51.3347, 12.6089",
        )
        organiser = st.text_input(
            "Einladung durch", value=current.organiser if current else "Geschäftsstelle"
        )
        online = st.text_input(
            "Online-Link (optional)",
            value=current.online_url if current else "",
            placeholder="https://…",
        )
        municipality = st.selectbox(
            "Gemeinde (leer: ganze Allianz)",
            [None, *names],
            placeholder="ganze Allianz",
            format_func=lambda a: "ganze Allianz" if a is None else names[a],
            index=[None, *names].index(current.municipality_ags) if current else 0,
        )
        public = st.checkbox(
            "öffentlich (Termin und öffentliche Tagesordnungspunkte für alle)",
            value=current.public if current else True,
        )
        sent = st.form_submit_button("Sitzung speichern" if current else "Sitzung anlegen")
    if not sent:
        return
    draft = service.MeetingDraft(
        kind=kind or "",
        title=title,
        day=day,
        start_time=begin,
        end_time=end,
        place=place,
        online_url=online,
        organiser=organiser,
        point=point,
        working_group=group,
        municipality_ags=municipality,
        public=public,
    )
    if current is None:
        token = web_session.form_token("meeting-create", kind, title, day, begin, place)
        try:
            new_id = service.create(db, alliance, user, draft, token)
        except DomainError as exc:
            st.error(" ".join(exc.errors))
            return
        web_session.clear_form("meeting")
        st.query_params["sitzung"] = str(new_id)
        web_session.saved("Sitzung angelegt. Jetzt die Tagesordnung ergänzen und einladen.")
    web_session.act(
        lambda: service.update(db, alliance, user, current.id, draft, current.version),
        lambda changed: "Sitzung gespeichert." if changed else "Keine Änderung.",
    )


def _agenda(meeting) -> None:
    st.subheader("Tagesordnung")
    open_agenda = meeting.state not in ("released", "cancelled")
    for item in meeting.items:
        with st.expander(
            f"TOP {item.position}: {item.title}" + ("" if item.public else " (nichtöffentlich)")
        ):
            for link in item.links:
                c1, c2 = st.columns([4, 1])
                c1.write(plain(f"{LINK_KINDS[link.kind]}: {link.label}"))
                if open_agenda and c2.button(
                    "lösen", key=f"unlink-{item.id}-{link.kind}-{link.target}"
                ):
                    web_session.act(
                        lambda i=item, lk=link: service.unlink_item(
                            db, user, i.id, lk.kind, lk.target
                        ),
                        "Verknüpfung gelöst.",
                    )
            if not open_agenda:
                continue
            with st.form(f"item-{item.id}"):
                title = st.text_input("Titel", value=item.title, max_chars=200)
                public = st.checkbox("öffentlich", value=item.public)
                if st.form_submit_button("Punkt speichern"):
                    web_session.act(
                        lambda i=item, t=title, p=public: service.edit_item(db, user, i.id, t, p),
                        "Tagesordnungspunkt gespeichert.",
                    )
            with st.form(web_session.form_key(f"link-{item.id}")):
                kind = st.radio(
                    "Bezug", list(LINK_KINDS), format_func=LINK_KINDS.get, horizontal=True
                )
                target = st.text_input("Nummer", placeholder="z. B. M-003, H-2026-00012, 42")
                if st.form_submit_button("Verknüpfen"):
                    web_session.act(
                        lambda i=item, k=kind, t=target: service.link_item(db, user, i.id, k, t),
                        lambda label: f"Verknüpft mit {label}.",
                        form=f"link-{item.id}",
                    )
            c1, c2, c3 = st.columns(3)
            if c1.button("nach oben", key=f"up-{item.id}", disabled=item.position == 1):
                web_session.act(
                    lambda i=item: service.move_item(db, user, i.id, -1), "Reihenfolge geändert."
                )
            if c2.button(
                "nach unten", key=f"down-{item.id}", disabled=item.position == len(meeting.items)
            ):
                web_session.act(
                    lambda i=item: service.move_item(db, user, i.id, 1), "Reihenfolge geändert."
                )
            if meeting.state in ("planned", "invited") and c3.button(
                "entfernen", key=f"rm-{item.id}"
            ):
                web_session.act(
                    lambda i=item: service.remove_item(db, user, i.id), "Punkt entfernt."
                )
    if not open_agenda:
        return
    with st.form(web_session.form_key(f"new-item-{meeting.id}")):
        title = st.text_input("Neuer Tagesordnungspunkt", max_chars=200)
        public = st.checkbox("öffentlich", value=True)
        if st.form_submit_button("Punkt hinzufügen"):
            token = web_session.form_token("meeting-item", meeting.id, title)
            web_session.act(
                lambda: service.add_item(db, user, meeting.id, title, public, token),
                "Tagesordnungspunkt hinzugefügt.",
                form=f"new-item-{meeting.id}",
            )


def _invitations(meeting) -> None:
    st.subheader("Einladung")
    people = {str(u["id"]): u["display_name"] for u in accounts.list_users(db) if u["active"]}
    current = service.invitees(db, user, meeting.id)
    if meeting.state in ("planned", "invited"):
        roles = [r.value for r in Role if r is not Role.CITIZEN]
        with st.form(f"invitees-{meeting.id}"):
            chosen_roles = st.multiselect(
                "Rollen",
                roles,
                default=[v for k, v in current if k == "role"],
                format_func=lambda r: ROLE_LABELS[Role(r)],
                placeholder="keine",
            )
            chosen_places = st.multiselect(
                "Gemeinden (Verwaltung und Bürgermeister)",
                list(names),
                default=[v for k, v in current if k == "municipality"],
                format_func=names.get,
                placeholder="keine",
            )
            chosen_people = st.multiselect(
                "Personen",
                list(people),
                default=[v for k, v in current if k == "user"],
                format_func=people.get,
                placeholder="keine",
            )
            if st.form_submit_button("Einladungsliste speichern"):
                chosen = (
                    [("role", r) for r in chosen_roles]
                    + [("municipality", a) for a in chosen_places]
                    + [("user", p) for p in chosen_people]
                )
                web_session.act(
                    lambda: service.set_invitees(db, alliance, user, meeting.id, chosen),
                    "Einladungsliste gespeichert.",
                )
        if current and st.button("Einladungen senden (E-Mail mit Tagesordnung und .ics)"):
            web_session.act(
                lambda: service.send_invitations(
                    db, alliance, user, meeting.id, web_session.base_url()
                ),
                lambda r: (
                    f"{r.new} eingeladen, {r.mailed} E-Mails in den Versand"
                    + (f", {r.without_address} ohne E-Mail-Adresse" if r.without_address else "")
                    + "."
                ),
            )
    answered = service.participants(db, user, meeting.id)
    if answered:
        counts = {
            code: sum(1 for p in answered if p.answer == code) for code in ("yes", "maybe", "no")
        }
        st.write(
            f"{len(answered)} eingeladen · {counts['yes']} Zusagen · "
            f"{counts['maybe']} vielleicht · {counts['no']} Absagen"
        )


def _after(meeting) -> None:
    if meeting.state not in ("held", "commenting"):
        return
    people = service.participants(db, user, meeting.id)
    st.subheader("Anwesenheit")
    with st.form(f"attendance-{meeting.id}"):
        by_id = {p.user_id: p.display_name for p in people}
        present = st.multiselect(
            "Anwesend",
            list(by_id),
            format_func=by_id.get,
            default=[p.user_id for p in people if p.attended],
            placeholder="niemand",
        )
        if st.form_submit_button("Anwesenheit speichern"):
            web_session.act(
                lambda: service.record_attendance(db, user, meeting.id, present),
                lambda n: f"{n} anwesend gespeichert.",
            )
    st.subheader("Ergebnisse und Beschlüsse")
    for item in meeting.items:
        linked = [int(lk.target) for lk in item.links if lk.kind == "measure"]
        decide_form = web_session.form_key(f"decide-{item.id}")
        with st.form(decide_form):
            st.markdown(f"**TOP {item.position}: {plain(item.title)}**")
            result = st.text_input(
                "Ergebnis", value=item.result, placeholder="z. B. einstimmig beschlossen"
            )
            resolution = st.text_area("Beschlusstext", value=item.resolution)
            step_text = due = None
            if linked:
                measure = measures.get(db, linked[0])
                step_text = st.text_input(
                    f"Neuer nächster Schritt für {measure.ref} (optional)", value=""
                )
                due = st.date_input(
                    "fällig am", value=None, format="DD.MM.YYYY", key=f"due-{decide_form}"
                )
            if st.form_submit_button("Ergebnis speichern"):
                step = (
                    service.StepFromResolution(linked[0], step_text, due, "Geschäftsstelle")
                    if linked and step_text
                    else None
                )
                web_session.act(
                    lambda i=item, r=result, t=resolution, s=step: service.decide(
                        db, alliance, user, i.id, r, t, s
                    ),
                    "Ergebnis gespeichert."
                    + (" Der Schritt steht bei der Maßnahme." if step else ""),
                    form=f"decide-{item.id}",
                )
    st.subheader("Protokoll")
    with st.form(f"minutes-{meeting.id}"):
        public_md = st.text_area(
            "Öffentlicher Teil",
            value=meeting.minutes,
            height=220,
            help="Absätze durch Leerzeilen trennen; der Text erscheint, wie er geschrieben ist.",
        )
        internal_md = st.text_area("Nichtöffentlicher Teil", value=meeting.minutes_internal)
        if st.form_submit_button("Protokoll speichern"):
            web_session.act(
                lambda: service.save_minutes(db, user, meeting.id, public_md, internal_md),
                lambda changed: "Protokoll gespeichert." if changed else "Keine Änderung.",
            )


def _states(meeting) -> None:
    st.subheader("Stand")
    st.write(f"**{meeting.state_label}**")
    moves = TRANSITIONS[meeting.state]
    if "commenting" in moves:
        with st.form(f"commenting-{meeting.id}"):
            until = st.date_input(
                "Anmerkungen bis", value=date.today() + timedelta(days=14), format="DD.MM.YYYY"
            )
            if st.form_submit_button("Protokoll den Teilnehmenden zur Anmerkung geben"):
                web_session.act(
                    lambda: service.transition(
                        db, user, meeting.id, "commenting", comments_until=until
                    ),
                    "Das Protokoll ist zur Anmerkung offen.",
                )
    begun = meeting.starts_at <= datetime.now(UTC)
    if "held" in moves and begun and st.button("Sitzung als durchgeführt markieren"):
        web_session.act(
            lambda: service.transition(db, user, meeting.id, "held"), "Sitzung durchgeführt."
        )
    if "released" in moves and st.button("Protokoll freigeben"):
        web_session.act(
            lambda: service.transition(db, user, meeting.id, "released"), "Protokoll freigegeben."
        )
    if "cancelled" in moves:
        with st.form(f"cancel-{meeting.id}"):
            reason = st.text_input("Grund der Absage")
            if st.form_submit_button("Sitzung absagen"):
                web_session.act(
                    lambda: service.cancel(
                        db, alliance, user, meeting.id, reason, web_session.base_url()
                    ),
                    "Sitzung abgesagt.",
                )


def _documents(meeting) -> None:
    st.subheader("Unterlagen (PDF, höchstens 10 MB)")
    for doc in service.documents(db, user, meeting.id):
        c1, c2 = st.columns([4, 1])
        c1.write(plain(doc.file_title))
        if c2.button("entfernen", key=f"doc-rm-{doc.id}"):
            web_session.act(
                lambda d=doc: service.remove_document(db, user, d.id), "Dokument entfernt."
            )
    with st.form(web_session.form_key(f"upload-{meeting.id}")):
        items = {
            None: "zur ganzen Sitzung",
            **{i.id: f"TOP {i.position}: {i.title}" for i in meeting.items},
        }
        target = st.selectbox("zu", list(items), format_func=items.get, placeholder="Bitte wählen")
        # no `type=`: Streamlit would refuse other files with an English hint only; the service
        # checks the content and answers in German
        upload = st.file_uploader("PDF-Datei", max_upload_size=10)
        if st.form_submit_button("Hochladen") and upload is not None:
            content = upload.getvalue()
            token = web_session.form_token(
                "meeting-document", meeting.id, upload.name, len(content)
            )
            web_session.act(
                lambda: service.attach(db, user, meeting.id, target, upload.name, content, token),
                "Dokument hochgeladen.",
                form=f"upload-{meeting.id}",
            )


st.title("Sitzungen vorbereiten")
all_meetings = service.listing(db, user, start=datetime.now(UTC) - timedelta(days=2 * 366))
by_id = {m.id: m for m in all_meetings}
options = [None, *sorted(by_id, key=lambda i: by_id[i].starts_at, reverse=True)]
selected = int(chosen) if chosen and chosen.isdigit() and int(chosen) in by_id else None
pick = st.selectbox(
    "Sitzung",
    options,
    placeholder="Sitzung wählen",
    index=options.index(selected),
    format_func=lambda i: (
        "– neue Sitzung anlegen –"
        if i is None
        else f"{de_datetime(by_id[i].starts_at.isoformat())} · {by_id[i].title} "
        f"({by_id[i].state_label})"
    ),
)
if pick != selected:
    if pick is None:
        st.query_params.clear()
    else:
        st.query_params["sitzung"] = str(pick)
    st.rerun()

if selected is None:
    st.subheader("Neue Sitzung")
    _meeting_form()
    st.stop()

meeting = service.get(db, user, selected)
st.page_link(
    PAGE,
    label="Ansicht für Eingeladene und Öffentlichkeit",
    query_params={"sitzung": str(meeting.id)},
)
st.caption(
    f"{meeting.ref} · {meeting.kind_label} · {service.when(meeting)} · {STATES[meeting.state]}"
)
tab_plan, tab_agenda, tab_invite, tab_after = st.tabs(
    ["Termin und Stand", "Tagesordnung und Unterlagen", "Einladung", "Nach der Sitzung"],
    key="office-tabs",
    on_change="rerun",
)
with tab_plan:
    _states(meeting)
    if meeting.state in ("planned", "invited"):
        _meeting_form(meeting)
with tab_agenda:
    _agenda(meeting)
    _documents(meeting)
with tab_invite:
    _invitations(meeting)
with tab_after:
    if meeting.state in ("planned", "invited"):
        st.write(
            "Anwesenheit, Beschlüsse und Protokoll folgen, sobald die Sitzung durchgeführt ist."
        )
    elif meeting.state == "cancelled":
        st.write(plain(f"Die Sitzung ist abgesagt: {meeting.cancel_reason}"))
    elif meeting.state == "released":
        st.write(
            "Das Protokoll ist freigegeben und bleibt, wie es ist. Anwesenheit, Beschlüsse und "
            "Protokoll stehen in der Ansicht der Sitzung und in den Protokoll-Dateien."
        )
    _after(meeting)
