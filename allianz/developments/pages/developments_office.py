"""Bauvorhaben abstimmen (the alliance office): every development with who has answered,
"Bedenken" highlighted with a proposed coordination meeting, release to the public map, the
outcome, exports for the GIS."""

from datetime import UTC, date, datetime, timedelta

import streamlit as st

from allianz import maps, web_session
from allianz.developments import presentation, service
from allianz.developments.model import ANSWERS
from allianz.formatting import de_date
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain

user, alliance, db = web_session.open_page("page.developments_office")
names = {m.ags: m.name for m in alliance.municipalities}
today = datetime.now(UTC).date()

st.title("Bauvorhaben abstimmen")
developments = service.listing(db, alliance, user)


def _answers_cell(development) -> str:
    parts = []
    for a in development.answers:
        text = f"{a.member}: {ANSWERS[a.answer] if a.answer else 'offen'}"
        if a.late or service.is_overdue(a, development, today):
            text += " (verspätet)"
        parts.append(text)
    return "; ".join(parts) or "–"


board = [
    {
        "Nr.": d.ref,
        "Vorhaben": d.title,
        "Gemeinde": names.get(d.municipality_ags, d.municipality_ags),
        "Art": d.kind_label,
        "Verfahrensstand": d.stage_label,
        "Rückmeldung bis": de_date(d.deadline),
        "Rückmeldungen": _answers_cell(d),
        "Bedenken": sum(1 for a in d.answers if a.answer == "objection"),
        "Stand": d.status_label,
        "öffentlich": d.public,
    }
    for d in developments
]
if not board:
    st.write("Noch keine Bauvorhaben gemeldet.")
else:
    st.dataframe(german_table(board), hide_index=True, width="stretch")
    st.caption("Karte: alle Vorhaben und die Kartenpunkte der Stellungnahmen (nicht öffentlich).")
    maps.show(
        presentation.board_map(alliance, municipalities.areas_frame(db), developments),
        key="bv-board-map",
        returned_objects=(),
    )

cols = st.columns(2)
cols[0].download_button(
    "Export CSV",
    data=web_session.deferred(lambda _db: service.export(_db, alliance, user, "csv")),
    file_name="bauvorhaben.csv",
    mime="text/csv",
    on_click="ignore",
)
cols[1].download_button(
    "Export GeoPackage",
    data=web_session.deferred(lambda _db: service.export(_db, alliance, user, "gpkg")),
    file_name="bauvorhaben.gpkg",
    mime="application/geopackage+sqlite3",
    on_click="ignore",
)

objected = [d for d in developments if d.status == "coordination" and not d.meeting_id]
for d in objected:
    st.warning(
        f"{d.ref} „{plain(d.title)}“: Bedenken von "
        + ", ".join(plain(a.member) for a in d.answers if a.answer == "objection")
        + " – Abstimmungsgespräch vorgeschlagen."
    )

if developments:
    pick = web_session.detail_key("vorhaben")
    ids = [d.id for d in developments]
    choice = st.selectbox(
        "Bauvorhaben bearbeiten",
        ids,
        index=ids.index(int(pick)) if pick and pick.isdigit() and int(pick) in ids else None,
        format_func=lambda i: next(f"{d.ref}: {d.title}" for d in developments if d.id == i),
        placeholder="Vorhaben wählen",
    )
    if choice is not None:
        st.query_params["vorhaben"] = str(choice)
        development = next(d for d in developments if d.id == choice)
        st.page_link(
            "allianz/developments/pages/developments.py",
            label="Vorhaben mit Karte und Stellungnahmen ansehen",
            query_params={"vorhaben": str(development.id)},
        )
        for a in development.answers:
            if a.statement:
                st.markdown(f"**{plain(a.member)}** ({ANSWERS.get(a.answer or '', '')}):")
                st.text(a.statement)
                if a.point:
                    st.caption(f"Kartenpunkt: {service.point_line(*a.point)}")
        st.subheader("Abstimmungsgespräch")
        if development.meeting_id:
            st.write(f"Angelegt: Sitzung S-{development.meeting_id:04d}.")
            st.page_link(
                "allianz/meetings/pages/meetings_office.py",
                label="Zur Sitzung",
                query_params={"sitzung": str(development.meeting_id)},
            )
        else:
            with st.form(web_session.form_key("bv-meeting")):
                day = st.date_input("Tag", value=today + timedelta(days=14), format="DD.MM.YYYY")
                cols = st.columns(2)
                start = cols[0].text_input("Beginn", value="10:00")
                end = cols[1].text_input("Ende", value="11:30")
                place = st.text_input("Ort", value="Geschäftsstelle der Allianz")
                if st.form_submit_button("Abstimmungsgespräch anlegen", type="primary"):
                    token = web_session.form_token("bv-meeting", development.id)
                    web_session.act(
                        lambda: service.propose_meeting(
                            db,
                            alliance,
                            user,
                            development.id,
                            day or date.today(),
                            start,
                            end,
                            place,
                            token,
                        ),  # fmt: skip
                        lambda m: (
                            f"Abstimmungsgespräch S-{m:04d} angelegt; die beteiligten "
                            "Gemeinden stehen auf der Einladungsliste."
                        ),
                        form="bv-meeting",
                    )
        st.subheader("Ergebnis")
        with st.form(web_session.form_key("bv-settle")):
            result = st.text_area(
                "Ergebnis der Abstimmung", value=development.outcome, max_chars=service.TEXT_MAX
            )
            if st.form_submit_button("Ergebnis speichern (abgestimmt)"):
                web_session.act(
                    lambda: service.settle(db, alliance, user, development.id, result),
                    "Ergebnis gespeichert; das Vorhaben gilt als abgestimmt.",
                    form="bv-settle",
                )
        st.subheader("Öffentliche Karte")
        st.caption(
            "Erst freigeben, wenn die förmliche Beteiligung öffentlich ist. Öffentlich sind "
            "Fläche und Eckdaten, nie die Rückmeldungen der Gemeinden."
        )
        if development.public:
            if st.button("Nicht mehr öffentlich zeigen"):
                web_session.act(
                    lambda: service.release(db, alliance, user, development.id, False),
                    "Das Vorhaben ist nicht mehr öffentlich.",
                )
        elif st.button("Auf der öffentlichen Karte zeigen"):
            web_session.act(
                lambda: service.release(db, alliance, user, development.id, True),
                "Das Vorhaben ist jetzt öffentlich (ohne Rückmeldungen).",
            )
        st.subheader("Weitere Gemeinde beteiligen")
        asked = {a.ags for a in development.answers} | {development.municipality_ags}
        others = [a for a in names if a not in asked]
        extra = st.selectbox(
            "Gemeinde", others, format_func=names.get, index=None, placeholder="Gemeinde wählen"
        )
        if extra and st.button("Beteiligen und benachrichtigen"):
            web_session.act(
                lambda: service.add_member(db, alliance, user, development.id, extra),
                f"{names[extra]} ist beteiligt und benachrichtigt.",
            )
