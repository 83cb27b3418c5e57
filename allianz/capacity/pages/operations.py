"""Betrieb: the app processes behind the proxy, as they reported themselves."""

from datetime import UTC, datetime

import streamlit as st

from allianz import ui, web_session
from allianz.capacity import heartbeat, service
from allianz.formatting import de_datetime, de_number

user, alliance, db = web_session.open_page("page.operations")

st.title("Betrieb")
st.write(
    "Welche Prozesse der Anwendung laufen, wie viele Sitzungen sie halten und wie viel Speicher "
    "sie brauchen. Jeder Prozess meldet sich alle paar Sekunden in der Datenbank; hinter dem "
    "Proxy (HAProxy) bleibt jede Browsersitzung bei ihrem Prozess."
)
reports = service.processes(db, user)
now = datetime.now(UTC)
here = heartbeat.process_name()
st.info(f"Diese Seite kommt von Prozess **{here}**.")
if not reports:
    st.warning("Noch hat sich kein Prozess gemeldet.")
else:
    running = [r for r in reports if not r.silent(now)]
    cols = st.columns(3)
    cols[0].metric("Laufende Prozesse", de_number(len(running)))
    cols[1].metric("Offene Sitzungen", de_number(sum(r.sessions for r in running)))
    cols[2].metric(
        "Speicher zusammen", f"{de_number(round(sum(r.rss_bytes for r in running) / 2**20))} MB"
    )
    table = ui.german_table(
        [
            {
                "Prozess": r.name + (" (diese Seite)" if r.name == here else ""),
                "Zustand": "meldet sich" if not r.silent(now) else "keine Meldung",
                "Rechner": r.host,
                "Port": str(r.port or ""),
                "Läuft seit": de_datetime(r.started_at.isoformat()),
                "Zuletzt gemeldet": de_datetime(r.seen_at.isoformat()),
                "Sitzungen": r.sessions,
                "Speicher (MB)": round(r.rss_bytes / 2**20),
                "CPU-Zeit (s)": round(r.cpu_seconds),
            }
            for r in reports
        ]
    )
    st.dataframe(table, hide_index=True)
    if any(r.silent(now) for r in reports):
        st.caption(
            "„Keine Meldung“: Der Prozess hat sich seit mehr als 30 Sekunden nicht gemeldet. "
            "Er wurde beendet oder hängt; der Proxy leitet seine Besucher an die anderen weiter."
        )
