"""Stellenbörse: the members' open postings with filters and pages, the archive of postings
whose deadline has passed (by year), and one posting's page (key `stelle` in the address) with
its schema.org JobPosting for search engines."""

import streamlit as st

from allianz import clock, jsonld, rich_text, web_session
from allianz.errors import DomainError
from allianz.formatting import count_of, de_date, de_int
from allianz.jobs import feeds, service
from allianz.jobs.model import KIND_LABELS, KIND_SLUGS, PHASE_LABELS, Kind
from allianz.ui import plain, user_text

PAGE = "allianz/jobs/pages/jobs.py"
user, alliance, db = web_session.open_page("page.jobs")
chosen = web_session.detail_key("stelle")
names = {m.ags: m.name for m in alliance.municipalities}
today = clock.today()
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def detail(key: str) -> None:
    posting = service.posting_at(db, key)
    if posting is None or not service.visible_to(posting, user):
        st.title("Stellenbörse")
        st.error(f"Eine Stellenanzeige mit der Nummer {plain(key[:20])} gibt es nicht (mehr).")
        st.page_link(PAGE, label="Zur Stellenbörse", query_params={})
        return
    phase = posting.phase(today)
    st.page_link(PAGE, label="← Alle offenen Stellen", query_params={})
    st.title(plain(posting.title))
    st.caption(plain(service.summary_line(posting, names)))
    if phase != "open":
        st.warning(f"Diese Anzeige ist {PHASE_LABELS[phase]}.")
    facts = [
        ("Arbeitgeber", names.get(posting.municipality_ags, posting.municipality_ags)),
        ("Art", posting.kind_label),
        ("Vergütung", service.pay_text(posting.pay_grade) if posting.pay_grade else "–"),
        ("Umfang", service.hours_text(posting)),
        ("Beginn", service.start_label(posting)),
        ("Bewerbungsfrist", f"bis {de_date(posting.valid_through)}"),
        ("Arbeitsort", posting.workplace or "–"),
    ]
    st.markdown("\n".join(f"- **{label}:** {plain(value)}" for label, value in facts))
    st.subheader("Beschreibung")
    st.html(rich_text.to_html(posting.description))
    if phase == "open":
        st.subheader("So bewerben Sie sich")
        if posting.apply_text:
            user_text(posting.apply_text)
        if posting.apply_url:
            st.link_button("Online bewerben", posting.apply_url)
        if posting.apply_email:
            st.markdown(f"Bewerbung per E-Mail an: {plain(posting.apply_email)}")
        contact = [posting.contact_name, posting.contact_phone, posting.contact_email]
        if any(contact):
            st.subheader("Ansprechpartner")
            st.markdown(plain(" · ".join(c for c in contact if c)))
    jsonld.embed(service.json_ld(posting, alliance, f"{web_session.base_url()}{feeds.PAGE_PATH}"
                                 f"?stelle={posting.id}"))  # fmt: skip


def filters_row(prefix: str, archive: bool):
    cols = st.columns(4 if archive else 3)
    ags = cols[0].selectbox(
        "Gemeinde", list(names), format_func=names.get, index=None,
        placeholder="alle Gemeinden", key=f"{prefix}-ags",
    )  # fmt: skip
    kind = cols[1].selectbox(
        "Art", list(Kind), format_func=KIND_LABELS.get, index=None, placeholder="alle Arten",
        key=f"{prefix}-kind",
    )  # fmt: skip
    hours = cols[2].selectbox(
        "Umfang", ["vollzeit", "teilzeit"], format_func=lambda v: v.capitalize(), index=None,
        placeholder="Vollzeit und Teilzeit", key=f"{prefix}-hours",
    )  # fmt: skip
    year = None
    if archive:
        years = service.archive_years(db)
        year = cols[3].selectbox(
            "Jahr der Frist", years, index=None, placeholder="alle Jahre", key=f"{prefix}-year"
        )
    return service.filters_from(alliance, ags, SLUG_OF[kind] if kind else None, hours, year), (
        ags,
        kind,
        hours,
    )


def listing(prefix: str, archive: bool) -> None:
    try:
        filters, chosen_values = filters_row(prefix, archive)
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    # the page number belongs to one choice of filters: a new choice starts at page 1
    page_key = f"{prefix}-page-{filters}"
    fetch = service.archived_postings if archive else service.open_postings
    found = fetch(db, filters, page=st.session_state.get(page_key, 1))
    if archive:
        noun = ("Anzeige im Archiv", "Anzeigen im Archiv")
    else:
        noun = ("offene Stelle", "offene Stellen")
    st.markdown(f"**{count_of(found.total, *noun)}**")
    if not found.postings:
        if any(v is not None for v in chosen_values):
            st.info("Keine Anzeigen für diese Auswahl.")
        else:
            st.info(
                "Das Archiv ist leer." if archive else "Zurzeit sind keine Stellen ausgeschrieben."
            )
    for posting in found.postings:
        with st.container(border=True):
            st.page_link(PAGE, label=plain(posting.title), query_params={"stelle": str(posting.id)})
            st.caption(plain(service.summary_line(posting, names)))
    if found.pages > 1:
        st.selectbox(
            f"Seite (von {de_int(found.pages)})", list(range(1, found.pages + 1)),
            index=found.page - 1, placeholder="Seite wählen", key=page_key,
        )  # fmt: skip


def overview() -> None:
    st.title("Stellenbörse")
    st.write(
        f"Offene Stellen, Ausbildungs- und Praktikumsplätze und Freiwilligendienste der "
        f"Mitglieder der {alliance.name}. Eine Anzeige verschwindet nach dem letzten Tag der "
        "Bewerbungsfrist aus der Liste und bleibt im Archiv."
    )
    with st.expander("Stellen als RSS-Feed abonnieren"):
        st.markdown(
            "Mit einem Feed-Reader oder auf der Website Ihrer Gemeinde erscheinen neue "
            "Anzeigen von selbst. Filter hängen Sie an die Adresse an, z. B. `?art=ausbildung`, "
            "`?umfang=teilzeit` oder `?gemeinde=` mit dem Gemeindeschlüssel."
        )
        st.code(web_session.base_url() + feeds.PATH, language=None)
    current, archive = st.tabs(["Offene Stellen", "Archiv"])
    with current:
        listing("open", archive=False)
    with archive:
        listing("archive", archive=True)


if chosen:
    detail(chosen)
else:
    overview()
