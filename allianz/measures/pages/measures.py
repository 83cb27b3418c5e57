"""Maßnahmen: the steering group's matrix per Handlungsfeld (public), edited by the alliance
manager: steps with due dates, history, and links to suggestions, workshop cards, segments."""

from datetime import date

import pandas as pd
import streamlit as st

from allianz import auth, web_session
from allianz.errors import DomainError
from allianz.formatting import de_date, de_datetime, de_int, de_value
from allianz.measures import service
from allianz.measures.model import LABELS, LINK_KINDS, PRIORITIES, STATUSES
from allianz.meetings import service as meetings
from allianz.ui import german_table, plain, user_text

user, alliance, db = web_session.open_page("page.measures")
today = date.today()
fields = {h.number: f"{h.number} {h.title}" for h in alliance.handlungsfelder}
names = {m.ags: m.name for m in alliance.municipalities}
editor = auth.can(user.role, "measures.edit")

st.title("Maßnahmen")
st.write("Die Maßnahmen der Allianz je Handlungsfeld, wie die Lenkungsgruppe sie priorisiert hat.")
items = service.all_measures(db)
c1, c2, c3, c4 = st.columns(4)
chosen_fields = c1.multiselect(
    "Handlungsfeld", list(fields), format_func=fields.get, placeholder="alle"
)
chosen_prio = c2.multiselect("Priorität", list(PRIORITIES), placeholder="alle")
chosen_status = c3.multiselect(
    "Stand", list(STATUSES), format_func=STATUSES.get, placeholder="alle"
)
sort = c4.selectbox(
    "Sortierung",
    ["Priorität", "Handlungsfeld", "nächste Fälligkeit", "Stand"],
    placeholder="Sortierung wählen",
)
shown = [
    m
    for m in items
    if (not chosen_fields or m.handlungsfeld in chosen_fields)
    and (not chosen_prio or m.priority in chosen_prio)
    and (not chosen_status or m.status in chosen_status)
]


def _next_due(measure) -> str:
    due = [s.due_on for s in measure.steps if s.done_on is None and s.due_on]
    return min(due) if due else "9999"


def _was(value) -> str:
    """One side of a change in the history: never "None"."""
    return "–" if value is None or value == "" else de_value(value)


keys = {
    "Priorität": lambda m: (m.priority, m.handlungsfeld, m.id),
    "Handlungsfeld": lambda m: (m.handlungsfeld, m.priority, m.id),
    "nächste Fälligkeit": lambda m: (_next_due(m), m.id),
    "Stand": lambda m: (list(STATUSES).index(m.status), m.id),
}
shown.sort(key=keys[sort])
table = pd.DataFrame(
    [
        {
            "Nr.": m.ref,
            "Priorität": m.priority,
            "Handlungsfeld": fields.get(m.handlungsfeld, m.handlungsfeld),
            "Bereich": m.area,
            "Maßnahme": m.title,
            "Bewertung Lenkungsgruppe": m.assessment,
            "nächste Schritte": "; ".join(
                f"{s.text} (bis {de_date(s.due_on)}, {s.responsible or '–'})"
                + (" – überfällig" if s.overdue(today.isoformat()) else "")
                for s in m.steps
                if s.done_on is None
            ),
            "Stand": STATUSES[m.status],
            "Gemeinden": ", ".join(names[a] for a in m.municipalities) or "alle",
        }
        for m in shown
    ],
    columns=["Nr.", "Priorität", "Handlungsfeld", "Bereich", "Maßnahme",
             "Bewertung Lenkungsgruppe", "nächste Schritte", "Stand", "Gemeinden"],
)  # fmt: skip
st.dataframe(german_table(table), hide_index=True, width="stretch")
overdue = service.overdue_steps(shown, today)
if overdue:
    st.warning(
        f"{len(overdue)} nächster Schritt ist überfällig."
        if len(overdue) == 1
        else f"{de_int(len(overdue))} nächste Schritte sind überfällig."
    )

if not items and not editor:
    st.stop()
by_id = {m.id: m for m in items}
selected = st.selectbox(
    "Maßnahme ansehen" + (" oder bearbeiten" if editor else ""),
    [None, *by_id] if editor else list(by_id),
    format_func=lambda i: (
        "– neue Maßnahme anlegen –" if i is None else f"{by_id[i].ref}: {by_id[i].title}"
    ),
    placeholder="Maßnahme wählen",
)
measure = by_id.get(selected)

if measure is not None:
    st.subheader(plain(f"{measure.ref}: {measure.title}"))
    st.caption(
        f"Priorität {measure.priority} · {fields.get(measure.handlungsfeld)} · "
        f"{STATUSES[measure.status]}"
        + (f" · Kosten {de_int(measure.cost_eur)} €" if measure.cost_eur else "")
        + (f" · Förderung: {measure.funding}" if measure.funding else "")
    )
    if measure.assessment:
        user_text(measure.assessment)
    for meeting, item in meetings.resolutions_for(db, user, "measure", measure.id):
        st.info(
            plain(
                f"Beschluss {meeting.kind_label} vom {de_date(item.decided_at)}, "
                f"TOP {item.position} „{item.title}“: {item.resolution or item.result}"
            )
        )
        st.page_link(
            "allianz/meetings/pages/meetings.py",
            label=plain(f"Zur Sitzung: {meeting.title}"),
            query_params={"sitzung": str(meeting.id)},
        )
    linked = service.links(db, measure.id)
    if linked:
        st.markdown("**Verknüpft:** " + ", ".join(
            f"{LINK_KINDS[row['kind']]} {row['target_id']}" for row in linked))  # fmt: skip

if not editor:
    st.stop()


def _form(current) -> None:
    values = current.values() if current else {}
    with st.form(f"measure-{current.id if current else 'new'}-{current.version if current else 0}"):
        c1, c2, c3 = st.columns(3)
        number = c1.selectbox(
            "Handlungsfeld", list(fields), format_func=fields.get,
            index=list(fields).index(values["handlungsfeld"]) if current else 0,
            placeholder="Handlungsfeld wählen",
        )  # fmt: skip
        priority = c2.selectbox(
            "Priorität", list(PRIORITIES),
            index=list(PRIORITIES).index(values["priority"]) if current else 0,
            placeholder="Priorität wählen",
        )  # fmt: skip
        status = c3.selectbox(
            "Stand", list(STATUSES), format_func=STATUSES.get,
            index=list(STATUSES).index(values["status"]) if current else 0,
            placeholder="Stand wählen",
        )  # fmt: skip
        area = st.text_input(
            "Bereich", value=values.get("area", ""), max_chars=300,
            placeholder="z. B. Ortskerne, Radverkehr",
        )  # fmt: skip
        title = st.text_input(
            "Maßnahme", value=values.get("title", ""), max_chars=300,
            placeholder="Was soll geschehen?",
        )  # fmt: skip
        assessment = st.text_area(
            "Bewertung der Lenkungsgruppe", value=values.get("assessment", ""), max_chars=2000,
            placeholder="optional",
        )  # fmt: skip
        c4, c5 = st.columns(2)
        cost = c4.number_input(
            "Kostenschätzung (€)", min_value=0.0, step=1000.0,
            value=float(values.get("cost_eur") or 0), format="%.0f",
        )  # fmt: skip
        funding = c5.text_input(
            "Förderprogramm", value=values.get("funding", ""), max_chars=300,
            placeholder="z. B. LEADER, GRW",
        )  # fmt: skip
        chosen = st.multiselect(
            "Beteiligte Gemeinden (leer = alle)", list(names), format_func=names.get,
            default=list(values.get("municipalities", ())), placeholder="alle",
        )  # fmt: skip
        st.markdown("**Nächste Schritte**")
        steps = st.data_editor(
            pd.DataFrame(
                [{"Schritt": s.text,
                  "fällig am": date.fromisoformat(s.due_on) if s.due_on else None,
                  "zuständig": s.responsible,
                  "erledigt am": date.fromisoformat(s.done_on) if s.done_on else None}
                 for s in (current.steps if current else ())],
                columns=["Schritt", "fällig am", "zuständig", "erledigt am"],
            ),
            column_config={
                "Schritt": st.column_config.TextColumn(width="large", max_chars=2000),
                "fällig am": st.column_config.DateColumn(format="DD.MM.YYYY"),
                "erledigt am": st.column_config.DateColumn(format="DD.MM.YYYY"),
            },
            num_rows="dynamic",
            placeholder="",  # empty cells stay empty (Streamlit writes "None")
            hide_index=True,
            width="stretch",
        )  # fmt: skip
        submitted = st.form_submit_button("Speichern" if current else "Anlegen", type="primary")
    if not submitted:
        return
    data = {
        "handlungsfeld": number, "priority": priority, "status": status, "area": area,
        "title": title, "assessment": assessment, "cost_eur": cost or None,
        "funding": funding, "municipalities": chosen,
    }  # fmt: skip
    drafts = [
        service.StepDraft(str(r["Schritt"] or ""), r["fällig am"], str(r["zuständig"] or ""),
                          r["erledigt am"])
        for r in steps.to_dict("records")
        if isinstance(r["Schritt"], str)
    ]  # fmt: skip
    try:
        if current:
            changed = service.update(db, alliance, user, current.id, data, drafts)
            if changed:
                web_session.saved(f"Maßnahme {current.ref} gespeichert.")
            st.info("Keine Änderung.")
        else:
            token = web_session.form_token("measure-new", data, drafts)
            new_id = service.create(db, alliance, user, data, drafts, token=token)
            web_session.saved(f"Maßnahme {service.get(db, new_id).ref} angelegt.")
    except DomainError as exc:
        st.error(" ".join(exc.errors))


_form(measure)
if measure is not None:
    link_tab, history_tab = st.tabs(
        ["Verknüpfungen", "Verlauf"], key="measure-tab", on_change="rerun"
    )
    with link_tab, st.form("link"):
        st.caption(
            "Hinweise, Werkstatt-Karten und Netzabschnitte, die in diese Maßnahme eingeflossen "
            "sind; auf der Seite des Hinweises steht dann „wurde Teil der Maßnahme“."
        )
        kind = st.selectbox(
            "Art", list(LINK_KINDS), format_func=LINK_KINDS.get, placeholder="Art wählen"
        )
        target = st.text_input(
            "Nummer (Hinweis: H-… oder Zahl; Karte und Abschnitt: Zahl)", placeholder="z. B. 12"
        )
        if st.form_submit_button("Verknüpfen"):
            text = target.strip()
            if kind == "suggestion" and text.upper().startswith("H-"):
                text = text.rsplit("-", 1)[-1]
            if not text.isdigit():
                st.error("Bitte eine Nummer angeben.")
            else:
                try:
                    service.link(db, user, measure.id, kind, int(text))
                except DomainError as exc:
                    st.error(str(exc))
                else:
                    st.success("Verknüpft.")
    with history_tab:
        st.dataframe(
            [{"Version": h["version"], "Zeit": de_datetime(h["at"], ""), "Wer": h["actor"],
              "Änderungen": "; ".join(f"{LABELS.get(k, k)}: {_was(v[0])} → {_was(v[1])}"
                                      for k, v in h["changes"].items())}
             for h in service.history(db, measure.id)],
            hide_index=True,
            width="stretch",
        )  # fmt: skip
