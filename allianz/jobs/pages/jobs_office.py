"""Stellen ausschreiben: the staff of a member (the office for every member) publish postings,
change them, extend the deadline or withdraw them; every step is in the audit trail."""

from datetime import timedelta

import streamlit as st

from allianz import clock, web_session
from allianz.formatting import de_date
from allianz.jobs import service
from allianz.jobs.model import (
    APPLY_TEXT_MAX,
    CONTACT_MAX,
    DESCRIPTION_MAX,
    KIND_LABELS,
    PHASE_LABELS,
    REASON_MAX,
    TITLE_MAX,
    URL_MAX,
    WORKPLACE_MAX,
    Kind,
)
from allianz.ui import german_table, plain

PAGE = "allianz/jobs/pages/jobs_office.py"
PUBLIC = "allianz/jobs/pages/jobs.py"
user, alliance, db = web_session.open_page("page.jobs_office")
chosen = web_session.detail_key("stelle")
names = {m.ags: m.name for m in alliance.municipalities}
today = clock.today()
HOURS = {False: "Vollzeit", True: "Teilzeit"}


def posting_form(form: str, posting=None) -> service.PostingDraft | None:
    """The fields of a posting; the draft when the form is sent."""
    own = [user.municipality_ags] if user.municipality_ags else list(names)
    first = own.index(posting.municipality_ags) if posting else (0 if len(own) == 1 else None)
    with st.form(web_session.form_key(form)):
        ags = st.selectbox(
            "Gemeinde", own, format_func=names.get, placeholder="Gemeinde wählen", index=first
        )
        title = st.text_input(
            "Titel der Anzeige", value=posting.title if posting else "", max_chars=TITLE_MAX
        )
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            "Art", list(Kind), format_func=KIND_LABELS.get, placeholder="Art wählen",
            index=list(Kind).index(posting.kind) if posting else None,
        )  # fmt: skip
        pay = c2.text_input(
            "Entgeltgruppe oder Besoldung", value=posting.pay_grade if posting else "",
            help="TVöD z. B. „E 9a“, Sozial- und Erziehungsdienst „S 8a“, Besoldung „A 10“; "
            "bei Ausbildung „TVAöD“, bei Praktikum „TVPöD“.", max_chars=20,
        )  # fmt: skip
        part = c3.radio(
            "Umfang", [False, True], format_func=HOURS.get, horizontal=True,
            index=int(posting.part_time) if posting else 0,
        )  # fmt: skip
        c4, c5, c6 = st.columns(3)
        hours = c4.text_input(
            "Wochenstunden (bei Teilzeit)",
            value=str(posting.hours_per_week).replace(".", ",")
            if posting and posting.hours_per_week is not None else "",
            max_chars=5,
        )  # fmt: skip
        starts = c5.date_input(
            "Beginn (leer: ab sofort)", format="DD.MM.YYYY",
            value=service.day_or_none(posting.starts_on) if posting else None,
        )  # fmt: skip
        deadline = c6.date_input(
            "Bewerbungsfrist (letzter Tag)", format="DD.MM.YYYY",
            value=posting.deadline if posting else today + timedelta(days=21),
        )  # fmt: skip
        workplace = st.text_input(
            "Arbeitsort (Anschrift)", value=posting.workplace if posting else "",
            max_chars=WORKPLACE_MAX,
        )  # fmt: skip
        description = st.text_area(
            "Beschreibung (Markdown: **fett**, Listen mit -, Überschriften mit ##)",
            value=posting.description if posting else "", max_chars=DESCRIPTION_MAX, height=240,
        )  # fmt: skip
        st.markdown("**So bewerben Sie sich**")
        apply_text = st.text_area(
            "Hinweise zur Bewerbung", value=posting.apply_text if posting else "",
            max_chars=APPLY_TEXT_MAX,
        )  # fmt: skip
        c7, c8 = st.columns(2)
        apply_url = c7.text_input(
            "Link zur Online-Bewerbung", value=posting.apply_url if posting else "",
            max_chars=URL_MAX,
        )  # fmt: skip
        apply_email = c8.text_input(
            "E-Mail für Bewerbungen (Funktionsadresse)",
            value=posting.apply_email if posting else "", max_chars=CONTACT_MAX,
        )  # fmt: skip
        st.markdown("**Ansprechpartner** (Funktionsadresse, oder eine Person mit Einwilligung)")
        c9, c10, c11 = st.columns(3)
        contact_name = c9.text_input(
            "Name (freiwillig)", value=posting.contact_name if posting else "",
            max_chars=CONTACT_MAX,
        )  # fmt: skip
        contact_phone = c10.text_input(
            "Telefon", value=posting.contact_phone if posting else "", max_chars=30
        )
        contact_email = c11.text_input(
            "E-Mail", value=posting.contact_email if posting else "", max_chars=CONTACT_MAX
        )
        consent = st.checkbox(
            "Die genannte Person ist einverstanden, dass Name und Kontaktdaten mit der Anzeige "
            "veröffentlicht werden.",
            value=bool(posting and posting.contact_name),
        )
        label = "Änderungen speichern" if posting else "Anzeige veröffentlichen"
        if not st.form_submit_button(label):
            return None
    return service.PostingDraft(
        municipality_ags=ags or "",
        title=title,
        kind=kind.value if kind else "",
        valid_through=deadline or "",
        description=description,
        pay_grade=pay,
        part_time=bool(part),
        hours_per_week=hours,
        starts_on=starts,
        workplace=workplace,
        apply_text=apply_text,
        apply_url=apply_url,
        apply_email=apply_email,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_consent=consent,
    )


def _created(posting_id: int) -> str:
    st.query_params["stelle"] = str(posting_id)
    return f"Die Anzeige Nr. {posting_id} ist veröffentlicht."


def overview() -> None:
    st.title("Stellen ausschreiben")
    postings = service.managed_by(db, user)
    if postings:
        st.subheader("Ihre Anzeigen")
        st.dataframe(
            german_table(
                [
                    {
                        "Nr.": p.id,
                        "Titel": p.title,
                        "Gemeinde": names.get(p.municipality_ags, p.municipality_ags),
                        "Art": p.kind_label,
                        "Frist": de_date(p.valid_through),
                        "Stand": PHASE_LABELS[p.phase(today)],
                    }
                    for p in postings
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        for p in postings[:50]:
            st.page_link(
                PAGE,
                label=plain(f"Nr. {p.id}: {p.title} (bis {de_date(p.valid_through)})"),
                query_params={"stelle": str(p.id)},
            )
    else:
        st.info("Noch keine Anzeigen.")
    st.subheader("Neue Anzeige")
    form = "job-new"
    draft = posting_form(form)
    if draft is not None:
        token = web_session.form_token(form, draft)
        web_session.act(
            lambda: service.create(db, alliance, user, draft, token=token), _created, form=form
        )


def manage(key: str) -> None:
    posting = service.posting_at(db, key)
    if posting is None or not service.may_post(user, posting.municipality_ags):
        st.title("Stellen ausschreiben")
        st.error(f"Eine Anzeige Nr. {plain(key[:20])} Ihrer Gemeinde gibt es nicht.")
        st.page_link(PAGE, label="Zur Übersicht", query_params={})
        return
    st.page_link(PAGE, label="← Alle Anzeigen", query_params={})
    st.title(plain(posting.title))
    phase = posting.phase(today)
    st.caption(
        plain(f"Nr. {posting.id} · {PHASE_LABELS[phase]} · " + service.summary_line(posting, names))
    )
    st.page_link(PUBLIC, label="Öffentliche Ansicht", query_params={"stelle": str(posting.id)})
    if phase == "withdrawn":
        st.info(plain(f"Zurückgezogen: {posting.withdrawn_reason}"))
    else:
        st.subheader("Bewerbungsfrist verlängern")
        with st.form(web_session.form_key(f"job-extend-{posting.id}")):
            new = st.date_input(
                "Neue Bewerbungsfrist", format="DD.MM.YYYY",
                value=max(posting.deadline, today) + timedelta(days=14),
            )  # fmt: skip
            if st.form_submit_button("Frist verlängern"):
                web_session.act(
                    lambda: service.extend(db, user, posting.id, new),
                    lambda p: f"Die Bewerbungsfrist läuft jetzt bis {de_date(p.valid_through)}.",
                )
        st.subheader("Anzeige ändern")
        draft = posting_form(f"job-edit-{posting.id}", posting)
        if draft is not None:
            web_session.act(
                lambda: service.update(db, alliance, user, posting.id, draft),
                "Die Änderungen sind gespeichert.",
            )
        st.subheader("Anzeige zurückziehen")
        with st.form(web_session.form_key(f"job-withdraw-{posting.id}")):
            reason = st.text_input("Grund (z. B. „Stelle besetzt“)", max_chars=REASON_MAX)
            if st.form_submit_button("Anzeige zurückziehen"):
                web_session.act(
                    lambda: service.withdraw(db, user, posting.id, reason),
                    "Die Anzeige ist zurückgezogen und nicht mehr öffentlich.",
                )


if chosen:
    manage(chosen)
else:
    overview()
