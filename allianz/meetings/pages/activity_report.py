"""Tätigkeitsbericht: the office's activity report for the funding body, for a chosen period,
as PDF and as a Word file; a preview of every figure; the external appointments and the press
log the report lists, entered and removed here."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import de_date
from allianz.meetings import report, service
from allianz.ui import german_table, plain, user_text

WORD_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
user, alliance, db = web_session.open_page("page.activity_report")
today = date.today()

st.title("Tätigkeitsbericht")
st.write(
    "Der Bericht der Geschäftsstelle an den Zuwendungsgeber: Sitzungen mit ihren Themen, "
    "Projekte, Beteiligung, Außentermine und Pressespiegel im gewählten Zeitraum. Alle Zahlen "
    "kommen aus den Daten der Allianz-Werkstatt. Der Bericht ist intern: nichtöffentliche "
    "Tagesordnungspunkte stehen darin, gekennzeichnet. Die Word-Datei lässt sich weiter "
    "bearbeiten."
)
period_input = st.date_input(
    "Zeitraum",
    value=(today - timedelta(days=365), today),
    format="DD.MM.YYYY",
    key="activity-period",
)
if len(period_input) != 2:
    st.info("Bitte Anfang und Ende des Zeitraums wählen.")
    st.stop()
period = report.Period(*period_input)
foreword = st.text_area(
    "Vorbemerkung",
    key="activity-foreword",
    height=160,
    max_chars=service.MINUTES_MAX,
    placeholder="z. B. wann das Allianzmanagement bewilligt wurde und seit wann die Stelle "
    "besetzt ist",
    help="Absätze durch eine Leerzeile trennen. Ohne Vorbemerkung steht ein Satz zum Zeitraum "
    "im Bericht.",
)
try:
    made = report.collect(db, alliance, user, period, foreword, today)
except DomainError as exc:
    st.error(" ".join(exc.errors))
    st.stop()

stem = f"taetigkeitsbericht-{period.since:%Y-%m-%d}-{period.until:%Y-%m-%d}"
pdf_column, word_column = st.columns(2)
pdf_column.download_button(
    "Bericht als PDF",
    web_session.deferred(lambda _conn: report.pdf(made)),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    width="stretch",
)
word_column.download_button(
    "Bericht als Word-Datei (.docx)",
    web_session.deferred(lambda _conn: report.docx(made)),
    file_name=f"{stem}.docx",
    mime=WORD_MIME,
    on_click="ignore",
    icon=":material/description:",
    width="stretch",
)

preview_tab, appointments_tab, press_tab = st.tabs(
    ["Vorschau", "Außentermine", "Pressespiegel"], key="activity-tabs", on_change="rerun"
)


def _cell(value: str) -> str:
    """A cell's lines side by side ("– Logo\\n– Radkonzept" -> "Logo; Radkonzept")."""
    return "; ".join(line.removeprefix("– ") for line in value.split("\n"))


def _preview() -> None:
    st.caption(f"{plain(made.subtitle)} · so steht es im Bericht")
    for section in made.all_sections():
        if section.level == 1:
            st.subheader(plain(section.heading), anchor=False)
        else:
            st.markdown(f"**{plain(section.heading)}**")
        for block in section.blocks:
            if isinstance(block, report.Table):
                frame = pd.DataFrame(
                    [[_cell(v) for v in row] for row in block.rows], columns=list(block.columns)
                )
                st.dataframe(german_table(frame), hide_index=True, width="stretch")
            elif section.number == "1":
                user_text(block)
            else:
                st.write(plain(block))


def _entry_row(label: str, kind: str, row_id: int, done: str) -> None:
    text, button = st.columns([6, 1], vertical_alignment="center")
    text.markdown(plain(label))
    if button.button("Entfernen", key=f"remove-{kind}-{row_id}"):
        web_session.act(lambda: service.remove_office_entry(db, user, kind, row_id), done)


def _appointments() -> None:
    st.markdown("**Außentermin eintragen**")
    with st.form(web_session.form_key("office-appointment")):
        on = st.date_input("Datum", value=today, format="DD.MM.YYYY")
        event = st.text_input("Veranstaltung", max_chars=service.TITLE_MAX)
        partner = st.text_input("Partner", max_chars=service.TITLE_MAX)
        topic = st.text_input("Thema", max_chars=service.TITLE_MAX)
        if st.form_submit_button("Außentermin eintragen"):
            token = web_session.form_token("office-appointment", on, event, partner, topic)
            web_session.act(
                lambda: service.add_appointment(db, user, on, event, partner, topic, token),
                f"Außentermin am {de_date(on.isoformat())} eingetragen.",
                form="office-appointment",
            )
    entries = service.appointments(db, user, period.since, period.until)
    st.markdown(f"**Außentermine im Zeitraum {period.label}** ({len(entries)})")
    if not entries:
        st.write("Keine Außentermine im Zeitraum.")
    for a in entries:
        label = " · ".join(x for x in (de_date(a.on_date), a.event, a.partner, a.topic) if x)
        _entry_row(label, "appointment", a.id, "Außentermin entfernt.")


def _press() -> None:
    st.markdown("**Presseeintrag eintragen**")
    with st.form(web_session.form_key("office-press")):
        on = st.date_input("Datum", value=today, format="DD.MM.YYYY")
        outlet = st.text_input("Medium", max_chars=service.TITLE_MAX,
                               placeholder="z. B. Tageszeitung, Amtsblatt")  # fmt: skip
        topic = st.text_input("Thema", max_chars=service.TITLE_MAX)
        url = st.text_input("Link (freiwillig)", max_chars=service.URL_MAX,
                            placeholder="https://…")  # fmt: skip
        if st.form_submit_button("Presseeintrag eintragen"):
            token = web_session.form_token("office-press", on, outlet, topic, url)
            web_session.act(
                lambda: service.add_press(db, user, on, outlet, topic, url, token),
                f"Presseeintrag vom {de_date(on.isoformat())} eingetragen.",
                form="office-press",
            )
    entries = service.press(db, user, period.since, period.until)
    st.markdown(f"**Pressespiegel im Zeitraum {period.label}** ({len(entries)})")
    if not entries:
        st.write("Keine Presseeinträge im Zeitraum.")
    for p in entries:
        label = " · ".join(x for x in (de_date(p.on_date), p.outlet, p.topic, p.url) if x)
        _entry_row(label, "press", p.id, "Presseeintrag entfernt.")


for tab, draw in ((preview_tab, _preview), (appointments_tab, _appointments), (press_tab, _press)):
    if tab.open:  # only the tab shown is built
        with tab:
            draw()
