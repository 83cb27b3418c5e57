"""Bauvorhaben: the members' building developments. Staff, mayors and the office see every
report with the asked members and their answers, and answer for their own member; everyone
else sees only the developments the office has released, without any statement."""

import streamlit as st

from allianz import maps, web_session
from allianz.developments import presentation, service
from allianz.developments.model import ANSWERS, EFFECTS, KINDS
from allianz.errors import DomainError
from allianz.formatting import de_date, de_datetime, de_float
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain, user_text

PAGE = "allianz/developments/pages/developments.py"
user, alliance, db = web_session.open_page("page.developments")
names = {m.ags: m.name for m in alliance.municipalities}
internal = service.sees_internal(user)
chosen = web_session.detail_key("vorhaben")


def _mine(development):
    """The user's own member's answer row, when the user may answer for it."""
    mine = next((a for a in development.answers if a.ags == user.municipality_ags), None)
    return mine if mine is not None and service.may_answer(user) else None


def _point_key(development) -> str:
    """Renewed with the answer form's key: after a sent answer the field starts empty."""
    return web_session.form_key(f"answer-{development.id}") + "-point"


def _pending_point(development):
    """The statement point typed or clicked so far (lon, lat), or None (also when unreadable:
    the form says why when it is sent)."""
    text = st.session_state.get(_point_key(development), "")
    try:
        return service.parse_point(text) if text.strip() else None
    except DomainError:
        return None


def _answer_form(development) -> None:
    mine = _mine(development)
    if mine is None:
        return
    st.subheader(f"Rückmeldung von {plain(names.get(mine.ags, mine.ags))}")
    if mine.answer:
        st.success(
            f"Ihre Rückmeldung vom {de_datetime(mine.answered_at)} Uhr: **{mine.answer_label}**"
            + (" – nach der Frist" if mine.late else "")
        )
        if mine.statement:
            user_text(mine.statement)
        with st.expander("Rückmeldung ändern"):
            _answer_fields(development)
    else:
        st.caption(f"Bitte bis {de_date(development.deadline)} antworten.")
        _answer_fields(development)


def _answer_fields(development) -> None:
    point_text = st.text_input(
        "Kartenpunkt zur Stellungnahme (freiwillig): Breite; Länge – oder auf die Karte oben "
        "klicken",
        key=_point_key(development),
        max_chars=60,
        placeholder="z. B. 51,2781; 12,5870",
    )
    form = f"answer-{development.id}"
    with st.form(web_session.form_key(form)):
        kind = st.radio("Antwort", list(ANSWERS), format_func=ANSWERS.get, index=None)
        statement = st.text_area(
            "Stellungnahme (bei Hinweisen und Bedenken nötig)", max_chars=service.TEXT_MAX
        )
        if st.form_submit_button("Rückmeldung senden", type="primary"):

            def send():
                point = service.parse_point(point_text) if point_text.strip() else None
                return service.answer(
                    db, alliance, user, development.id, kind or "", statement, point=point
                )

            web_session.act(
                send,
                lambda late: (
                    "Ihre Rückmeldung ist gespeichert"
                    + (" (nach der Frist, als verspätet markiert)." if late else ".")
                ),
                form=form,
            )


def _documents(development) -> None:
    docs = service.documents(db, alliance, user, development.id)
    if not internal:
        return
    st.subheader("Dokumente")
    if not docs:
        st.write("Keine Dokumente.")
    for doc in docs:
        st.download_button(
            f"{doc.file_title} ({de_float(doc.size / 1024, 0)} KB)",
            data=web_session.deferred(lambda _db, d=doc.id: service.document(_db, user, d)[1]),
            file_name=doc.file_title,
            mime="application/pdf",
            key=f"doc-{doc.id}",
            on_click="ignore",
        )
    upload = st.file_uploader("PDF hinzufügen (höchstens 10 MB)", type=["pdf"], key="bv-pdf")
    if upload is not None and st.button("Dokument hochladen"):
        web_session.act(
            lambda: service.add_document(
                db, alliance, user, development.id, upload.name, upload.getvalue()
            ),
            "Das Dokument ist gespeichert.",
        )


def detail(development) -> None:
    if st.button("← Alle Bauvorhaben"):
        st.query_params.clear()
        st.rerun()
    st.title(plain(f"{development.ref}: {development.title}"))
    st.write(
        f"{plain(names.get(development.municipality_ags, ''))} · {development.kind_label} · "
        f"{development.stage_label} · {de_float(development.area_ha, 2)} ha"
    )
    facts = []
    if development.dwellings is not None:
        facts.append(f"{development.dwellings} Wohneinheiten")
    if development.floor_space_m2 is not None:
        facts.append(f"{de_float(development.floor_space_m2, 0)} m² Verkaufs-/Geschossfläche")
    if development.effects:
        facts.append("Auswirkungen: " + ", ".join(EFFECTS[e] for e in development.effects))
    if facts:
        st.write(" · ".join(facts))
    if internal:
        st.info(
            f"Nicht öffentlich. Rückmeldung bis {de_date(development.deadline)} · "
            f"{development.status_label}"
            + (" · auf der öffentlichen Karte" if development.public else "")
        )
        if development.effects_text:
            user_text(development.effects_text)
        if development.contact_name or development.contact_email or development.contact_phone:
            st.caption(
                plain(
                    "Ansprechperson: "
                    + ", ".join(
                        v
                        for v in (
                            development.contact_name,
                            development.contact_email,
                            development.contact_phone,
                        )
                        if v
                    )
                )
            )
        if development.outcome:
            user_text(f"Ergebnis der Abstimmung: {development.outcome}")
    areas = municipalities.areas_frame(db)
    fmap = presentation.detail_map(alliance, areas, development, reach=internal)
    answering = _mine(development) is not None
    if answering:
        presentation.add_pending_point(fmap, _pending_point(development))
        st.caption(
            "Ein Klick auf die Karte setzt den Kartenpunkt Ihrer Stellungnahme (freiwillig)."
        )
    result = maps.show(
        fmap,
        key=f"bv-map-{development.id}",
        returned_objects=("last_clicked",) if answering else (),
    )
    clicked = result.get("last_clicked") if answering else None
    if clicked and clicked != st.session_state.get(f"bv-map-last-{development.id}"):
        st.session_state[f"bv-map-last-{development.id}"] = clicked
        st.session_state[_point_key(development)] = service.point_line(
            clicked["lng"], clicked["lat"]
        )
        st.rerun()
    if not internal:
        return
    st.subheader("Beteiligte Gemeinden und Rückmeldungen")
    if development.answers:
        st.dataframe(
            german_table(presentation.answer_rows(development)),
            hide_index=True,
            width="stretch",
        )
    else:
        st.write("Keine Nachbargemeinde im Umkreis; die Geschäftsstelle kann Gemeinden beteiligen.")
    _answer_form(development)
    _documents(development)
    with st.expander("Verlauf (Versionen)"):
        st.dataframe(
            german_table(
                [
                    {
                        "Version": v["version"],
                        "von": v["changed_by"],
                        "am": de_datetime(v["changed_at"]),
                    }
                    for v in service.history(db, alliance, user, development.id)
                ]  # fmt: skip
            ),
            hide_index=True,
        )


def overview() -> None:
    st.title("Bauvorhaben")
    shown = service.listing(db, alliance, user)
    if internal:
        st.write(
            "Bauvorhaben der Mitglieder zur frühzeitigen Abstimmung mit den Nachbargemeinden "
            "(§ 2 Abs. 2 BauGB, informell). **Nicht öffentlich.**"
        )
        if service.may_report(user):
            st.page_link(
                "allianz/developments/pages/developments_report.py",
                label="Bauvorhaben melden",
                icon=":material/add_location_alt:",
            )
    else:
        st.write("Bauvorhaben, deren förmliche Beteiligung öffentlich ist.")
    kinds = st.multiselect("Art", list(KINDS), format_func=KINDS.get, placeholder="alle Arten")
    if kinds:
        shown = [d for d in shown if d.kind in kinds]
    if not shown:
        st.write("Zurzeit keine Bauvorhaben.")
    areas = municipalities.areas_frame(db)
    maps.show(
        presentation.developments_map(alliance, areas, shown), key="bv-map", returned_objects=()
    )
    if not shown:
        return
    rows = (presentation.list_rows if internal else presentation.public_rows)(shown, names)
    st.dataframe(german_table(rows, digits={"Fläche (ha)": 2}), hide_index=True, width="stretch")
    pick = st.selectbox(
        "Bauvorhaben öffnen",
        [d.id for d in shown],
        format_func=lambda i: next(f"{d.ref}: {d.title}" for d in shown if d.id == i),
        index=None,
        placeholder="Vorhaben wählen",
    )
    if pick is not None:
        st.query_params["vorhaben"] = str(pick)
        st.rerun()


if chosen:
    try:
        detail(service.get(db, alliance, user, int(chosen) if chosen.isdigit() else 0))
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        overview()
else:
    overview()
