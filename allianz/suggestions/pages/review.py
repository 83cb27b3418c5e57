"""Hinweise bearbeiten: the municipality's review queue, answers, hand-over, merge, export."""

import streamlit as st

from allianz import auth, web_session
from allianz.errors import DomainError
from allianz.formatting import de_datetime
from allianz.suggestions import presentation, service
from allianz.suggestions.model import CLOSED, STATUS_LABELS, TRANSITIONS, Status
from allianz.ui import german_table, plain, user_text

user, alliance, db = web_session.open_page("page.review")
names = {m.ags: m.name for m in alliance.municipalities}
SHOWN = 500  # newest matching suggestions on the page; the exports hold all of them

st.title("Hinweise bearbeiten")
scope = "alle Gemeinden" if user.municipality_ags is None else names[user.municipality_ags]
st.caption(f"Zuständigkeit: {scope}")

open_statuses = [s for s in Status if s not in CLOSED]
chosen = st.multiselect(
    "Status",
    list(Status),
    default=open_statuses,
    format_func=STATUS_LABELS.get,
    placeholder="alle Status",
)
show_hidden = st.checkbox("Ausgeblendete anzeigen")
filters = service.Filters(statuses=tuple(chosen), include_hidden=show_hidden)
scoped = service.review_filters(user, filters)
total = service.count(db, scoped)
queue = service.review_queue(db, user, filters, limit=SHOWN)
if total > len(queue):
    st.caption(
        f"{total} Hinweise mit diesen Filtern; die neuesten {len(queue)} stehen hier, "
        "alle im Export."
    )
st.dataframe(
    german_table(presentation.table(queue, alliance).drop(columns=["Seite"])),
    hide_index=True,
    width="stretch",
)

if auth.can(user.role, "suggestions.export"):
    left, right = st.columns(2)
    left.download_button(
        "Liste als CSV",
        web_session.deferred(lambda conn: service.export(conn, alliance, user, filters, "csv")),
        file_name="hinweise.csv",
        mime="text/csv",
        on_click="ignore",
    )
    right.download_button(
        "Liste als GeoJSON",
        web_session.deferred(lambda conn: service.export(conn, alliance, user, filters, "geojson")),
        file_name="hinweise.geojson",
        mime="application/geo+json",
        on_click="ignore",
    )

if not queue:
    st.info("Keine Hinweise mit diesen Filtern.")
    st.stop()

by_id = {s.id: s for s in queue}
selected_id = st.selectbox(
    "Hinweis bearbeiten",
    list(by_id),
    placeholder="Hinweis wählen",
    format_func=lambda i: f"{by_id[i].ref} – {by_id[i].title}",
)
item = by_id[selected_id]
st.subheader(plain(f"{item.ref}: {item.title}"))
facts = [
    presentation.category_label(alliance, item.category),
    names[item.municipality_ags],
    STATUS_LABELS[item.status],
    f"{item.supports} Unterstützungen",
    f"gemeldet {de_datetime(item.created_at)[:10]}",
]
if item.hidden:
    facts.append(f"ausgeblendet: {item.hidden_reason}")
st.caption(plain(" · ".join(facts)))
user_text(item.description)
if item.address_text:
    st.markdown("**Ortsangabe:** " + plain(item.address_text))
if item.has_photo:
    st.image(service.photo(db, item.id), width=420)
reporter = service.reporter(db, user, item.id)
if reporter:
    details = [d for d in (reporter.name, reporter.email, reporter.phone) if d]
    if details:
        st.markdown("**Meldende Person (nicht öffentlich):** " + plain(" · ".join(details)))
    if reporter.media_url:
        st.markdown("**Foto beim meldenden Dienst:** " + plain(reporter.media_url))


def _done(message: str) -> None:
    """Mail to the reporter leaves with the background delivery (allianz.mail.worker)."""
    if reporter and reporter.email:
        message += " Die meldende Person erhält eine E-Mail."
    web_session.saved(message)


status_tab, hand_tab, merge_tab, hide_tab = st.tabs(
    ["Status und Antwort", "Weitergeben", "Zusammenführen", "Ausblenden"],
    key="review-tab",
    on_change="rerun",
)
with status_tab, st.form("status"):
    # in workflow order (neu, in Prüfung, geplant, erledigt, abgelehnt), not alphabetical
    options = [item.status, *(s for s in Status if s in TRANSITIONS[item.status])]
    new_status = st.selectbox(
        "Neuer Status", options, format_func=STATUS_LABELS.get, placeholder="Status wählen"
    )
    answer = st.text_area("Öffentliche Antwort", value=item.public_answer or "", max_chars=2000)
    if st.form_submit_button("Speichern", type="primary"):
        try:
            service.set_status(db, alliance, user, item.id, new_status, answer)
        except DomainError as exc:
            st.error(str(exc))
        else:
            _done("Status und Antwort gespeichert.")
with hand_tab, st.form("reassign"):
    others = [a for a in names if a != item.municipality_ags]
    target = st.selectbox(
        "An Gemeinde", others, format_func=names.get, placeholder="Gemeinde wählen"
    )
    reason = st.text_input("Grund")
    if st.form_submit_button("Weitergeben"):
        try:
            service.reassign(db, alliance, user, item.id, target, reason)
        except DomainError as exc:
            st.error(str(exc))
        else:
            web_session.saved(f"{item.ref} an {names[target]} weitergegeben.")
with merge_tab, st.form("merge"):
    candidates = service.nearby_duplicates(
        db, item.category, item.lat, item.lon, precise=item.location_precise
    )
    candidates = [c for c in candidates if c.id != item.id] or [q for q in queue if q.id != item.id]
    if not candidates:
        st.write("Kein anderer Hinweis zum Zusammenführen.")
    target_id = st.selectbox(
        "Dieser Hinweis ist ein Duplikat von",
        [c.id for c in candidates],
        placeholder="Hinweis wählen",
        format_func=lambda i: next(f"{c.ref} – {c.title}" for c in candidates if c.id == i),
    )
    if st.form_submit_button("Zusammenführen") and target_id is not None:
        try:
            service.merge(db, alliance, user, item.id, target_id)
        except DomainError as exc:
            st.error(str(exc))
        else:
            _done("Zusammengeführt; die Unterstützungen wurden übertragen.")
with hide_tab, st.form("hide"):
    reason = st.text_input("Grund (intern, wird protokolliert)", value=item.hidden_reason or "")
    label = "Wieder anzeigen" if item.hidden else "Ausblenden"
    if st.form_submit_button(label):
        try:
            service.hide(db, user, item.id, reason, hidden=not item.hidden)
        except DomainError as exc:
            st.error(str(exc))
        else:
            web_session.saved(
                f"{item.ref} {'wieder angezeigt' if item.hidden else 'ausgeblendet'}."
            )
