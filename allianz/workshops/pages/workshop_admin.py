"""Werkstätten planen: create a workshop, edit its tables, move it through its phases,
moderate cards, link them to a Handlungsfeld, see consenting e-mails, export the protocol."""

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import de_date, de_datetime
from allianz.ui import german_table, plain
from allianz.workshops import protocol, service
from allianz.workshops.model import (
    MAX_DOTS_PER_PERSON,
    MAX_ROUNDS,
    ORIGIN_LABELS,
    PHASE_LABELS,
    TRANSITIONS,
    Phase,
)

user, alliance, db = web_session.open_page("page.workshop_admin")
names = {m.ags: m.name for m in alliance.municipalities}
fields = {h.number: f"{h.number} {h.title}" for h in alliance.handlungsfelder}

st.title("Werkstätten planen")
own = service.managed_by(db, user)


def _tables_editor(key: str, tables: list[service.TableDraft]) -> list[service.TableDraft]:
    st.markdown("**Thementische** (Zeilen hinzufügen oder löschen; Tische mit Karten bleiben)")
    rows = st.data_editor(
        [
            {
                "id": t.id,
                "Thema": t.topic,
                "Moderation": t.host,
                "Handlungsfeld": fields.get(t.handlungsfeld),
            }
            for t in tables
        ],
        column_config={
            "id": None,
            "Thema": st.column_config.TextColumn(required=True, max_chars=150, width="large"),
            "Moderation": st.column_config.TextColumn(max_chars=80),
            "Handlungsfeld": st.column_config.SelectboxColumn(options=list(fields.values())),
        },
        num_rows="dynamic",
        placeholder="",  # empty cells stay empty (Streamlit writes "None")
        hide_index=True,
        width="stretch",
        key=key,
    )
    by_title = {v: k for k, v in fields.items()}
    return [
        service.TableDraft(
            topic=row.get("Thema") or "",
            host=row.get("Moderation") or "",
            handlungsfeld=by_title.get(row.get("Handlungsfeld")),
            id=int(row["id"]) if row.get("id") is not None else None,
        )
        for row in rows
    ]


def _details_form(key: str, workshop=None) -> service.WorkshopDraft | None:
    """The workshop's facts; returns a draft when the form was submitted."""
    with st.form(key):
        title = st.text_input(
            "Titel",
            value=workshop.title if workshop else "",
            max_chars=150,
            placeholder="z. B. Bürgerwerkstatt Ortsmitte",
        )
        c1, c2, c3 = st.columns(3)
        start = datetime.fromisoformat(workshop.starts_at) if workshop else None
        day = c1.date_input(
            "Datum", value=start.date() if start else date.today(), format="DD.MM.YYYY"
        )
        hour = c2.time_input("Beginn", value=start.time() if start else time(18, 0))
        place = c3.text_input(
            "Ort",
            value=workshop.place if workshop else "",
            max_chars=150,
            placeholder="z. B. Rathaussaal",
        )
        if user.municipality_ags is None:
            options = [None, *names]
            scope = st.selectbox(
                "Bereich",
                options,
                index=options.index(workshop.scope_ags) if workshop else 0,
                format_func=lambda a: "ganze Allianz" if a is None else names[a],
                placeholder="Bereich wählen",
            )
        else:
            scope = user.municipality_ags
            st.caption(f"Bereich: {names[scope]}")
        c4, c5, c6 = st.columns(3)
        rounds = c4.number_input(
            "Runden", 1, MAX_ROUNDS, value=workshop.rounds if workshop else 3, step=1
        )
        participants = c5.number_input(
            "Teilnehmende", 0, 100_000, value=workshop.participants if workshop else 0, step=1
        )
        dots = c6.number_input(
            "Punkte je Person",
            1,
            MAX_DOTS_PER_PERSON,
            value=workshop.dots_per_person if workshop else 3,
            step=1,
        )
        tables = _tables_editor(
            f"{key}-tables",
            [service.TableDraft(t.topic, t.host, t.handlungsfeld, t.id) for t in workshop.tables]
            if workshop
            else service.default_tables(alliance),
        )
        submitted = st.form_submit_button(
            "Speichern" if workshop else "Werkstatt anlegen", type="primary"
        )
    if not submitted:
        return None
    return service.WorkshopDraft(
        title=title,
        starts_at=datetime.combine(day, hour),
        place=place,
        scope_ags=scope,
        rounds=int(rounds),
        participants=int(participants),
        dots_per_person=int(dots),
        tables=tables,
    )


def _phase_controls(workshop) -> None:
    st.markdown(f"**Stand:** {PHASE_LABELS[workshop.phase]}")
    following = [p for p in Phase if p in TRANSITIONS[workshop.phase]]  # in workflow order
    if not following:
        return
    with st.form("phase"):
        target = st.selectbox(
            "Nächster Schritt",
            following,
            format_func=lambda p: PHASE_LABELS[Phase(p)],
            placeholder="Schritt wählen",
        )
        until = st.date_input(
            "Online-Phase bis (nur für die Online-Phase)",
            value=date.today() + timedelta(days=21),
            format="DD.MM.YYYY",
        )
        if st.form_submit_button("Stand ändern"):
            try:
                service.set_phase(
                    db, user, workshop.id, target, until if target is Phase.ONLINE else None
                )
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.success(f"Neuer Stand: {PHASE_LABELS[Phase(target)]}")
                st.rerun()


def _moderation(workshop) -> None:
    cards = service.cards(db, workshop.id, include_hidden=True)
    if not cards:
        st.write("Noch keine Karten.")
        return
    topics = {t.id: t.topic for t in workshop.tables}
    st.dataframe(
        german_table(
            [
                {
                    "Nr.": c.id,
                    "Tisch": topics[c.table_id],
                    "Karte": c.text,
                    "Herkunft": ORIGIN_LABELS[c.origin],
                    "Punkte": c.dots,
                    "Handlungsfeld": fields.get(c.handlungsfeld, "–"),
                    "ausgeblendet": c.hidden_reason if c.hidden else "",
                }
                for c in cards
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    by_id = {c.id: c for c in cards}
    card_id = st.selectbox(
        "Karte",
        list(by_id),
        format_func=lambda i: f"{i}: {by_id[i].text[:80]}",
        placeholder="Karte wählen",
    )
    card = by_id[card_id]
    hide_col, field_col = st.columns(2)
    with hide_col, st.form("hide-card"):
        reason = st.text_input(
            "Grund (wird protokolliert)",
            value=card.hidden_reason or "",
            placeholder="z. B. beleidigend, doppelt",
        )
        if st.form_submit_button("Wieder anzeigen" if card.hidden else "Ausblenden"):
            try:
                service.hide_card(db, user, card.id, reason, hidden=not card.hidden)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    with field_col, st.form("card-field"):
        options = [None, *fields]
        number = st.selectbox(
            "Handlungsfeld der Karte",
            options,
            index=options.index(card.handlungsfeld) if card.handlungsfeld in options else 0,
            format_func=lambda n: "ohne Zuordnung" if n is None else fields[n],
            placeholder="Handlungsfeld wählen",
        )
        if st.form_submit_button("Zuordnen"):
            try:
                service.set_card_handlungsfeld(db, alliance, user, card.id, number)
            except DomainError as exc:
                st.error(str(exc))
            else:
                st.rerun()


existing_tab, create_tab = st.tabs(
    ["Bestehende Werkstätten", "Neue Werkstatt"], key="planner-tab", on_change="rerun"
)
with existing_tab:
    if not own:
        st.info("Noch keine Werkstatt in Ihrem Bereich. Legen Sie unter „Neue Werkstatt“ eine an.")
    else:
        by_id = {w.id: w for w in own}
        chosen = st.selectbox(
            "Werkstatt",
            list(by_id),
            format_func=lambda i: (
                f"{by_id[i].title} ({de_date(by_id[i].date)}, {PHASE_LABELS[by_id[i].phase]})"
            ),
            placeholder="Werkstatt wählen",
        )
        workshop = by_id[chosen]
        st.page_link(
            "allianz/workshops/pages/workshops.py",
            label="Öffentliche Seite dieser Werkstatt",
            query_params={"workshop": str(workshop.id)},
            icon=":material/open_in_new:",
        )
        _phase_controls(workshop)
        details, moderation, contacts, export = st.tabs(
            ["Angaben und Tische", "Karten moderieren", "E-Mails für das Protokoll", "Protokoll"],
            key="workshop-tab",
            on_change="rerun",
        )
        with details:
            if workshop.phase is Phase.CLOSED:
                st.info("Abgeschlossen: die Angaben sind nicht mehr änderbar.")
            else:
                draft = _details_form(f"edit-{workshop.id}", workshop)
                if draft is not None:
                    try:
                        service.update(db, alliance, user, workshop.id, draft)
                    except DomainError as exc:
                        st.error("\n\n".join(exc.errors))
                    else:
                        st.success("Gespeichert.")
        with moderation:
            _moderation(workshop)
        with contacts:
            st.caption("Nur für den Versand des Protokolls; nach dem Versand bitte löschen.")
            rows = service.contacts(db, user, workshop.id)
            st.dataframe(
                german_table(
                    pd.DataFrame(
                        [
                            {"E-Mail": r["email"], "Einwilligung": de_datetime(r["consent_at"])}
                            for r in rows
                        ],
                        columns=["E-Mail", "Einwilligung"],
                    )
                ),
                hide_index=True,
                width="stretch",
            )
        with export:
            for fmt, label in (("pdf", "PDF"), ("md", "Markdown"), ("csv", "CSV")):
                st.download_button(
                    f"Protokoll als {label}",
                    web_session.deferred(
                        lambda conn, f=fmt: protocol.build(conn, alliance, workshop.id, f)
                    ),
                    file_name=protocol.file_name(workshop, fmt),
                    mime=protocol.FORMATS[fmt],
                    key=f"admin-protocol-{fmt}",
                    on_click="ignore",
                )
with create_tab:
    draft = _details_form("new-workshop")
    if draft is not None:
        try:
            new_id = service.create(db, alliance, user, draft)
        except DomainError as exc:
            st.error("\n\n".join(exc.errors))
        else:
            st.success(plain(f"Werkstatt Nr. {new_id} „{draft.title}“ angelegt."))
