"""FMD-Austausch: the vacancy register (and the Leerstandsrisiko aggregates) as an exchange
file with the categories of Bavaria's Flächenmanagement-Datenbank, and its import."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from allianz import web_session
from allianz.errors import DomainError
from allianz.formatting import count_of
from allianz.municipalities import service as municipalities
from allianz.ui import german_table, plain
from allianz.vacancies import fmd
from allianz.vacancies.model import TYPES

user, alliance, db = web_session.open_page("page.vacancies")
areas = municipalities.areas(db)

st.title("FMD-Austausch")
st.write(
    "Austausch mit der Flächenmanagement-Datenbank (FMD) des Landesamts für Umwelt: das "
    "Leerstandskataster und die Auswertung des Leerstandsrisikos in einer Datei mit den "
    "FMD-Kategorien, damit die Gemeinde ihre Daten nur einmal pflegt. Koordinaten in "
    "ETRS89/UTM32 (Rechtswert, Hochwert). Leerstandsrisiko nur als Rasterfelder mit mindestens "
    "5 Gebäuden, nie einzelne Gebäude; ohne Eigentümerdaten."
)
st.dataframe(
    german_table(
        pd.DataFrame(
            [
                {"Art im Kataster": TYPES[code], "FMD-Kategorie": label, "Restnutzung": rest}
                for code, (label, rest) in fmd.CATEGORIES.items()
            ]
            + [
                {
                    "Art im Kataster": "Leerstandsrisiko (Rasterfeld)",
                    "FMD-Kategorie": fmd.RISK,
                    "Restnutzung": None,
                }
            ]
        )
    ),
    hide_index=True,
    width="stretch",
)
st.download_button(
    "FMD-Datei exportieren (CSV)",
    web_session.deferred(lambda conn: fmd.export_csv(conn, alliance, user)),
    file_name="fmd-austausch.csv",
    mime="text/csv",
    key="fmd-export",
    on_click="ignore",
)
st.markdown("**FMD-Datei importieren** (CSV oder XLSX mit den Spalten des Exports)")
upload = st.file_uploader("Datei wählen (höchstens 10 MB)", type=["csv", "xlsx"], key="fmd-upload")
if upload is not None and st.button("Importieren", type="primary"):
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="allianz-upload-") as tmp:
        path = Path(tmp) / f"fmd{suffix}"
        path.write_bytes(upload.getvalue())
        try:
            token = web_session.form_token("fmd-import", upload.file_id)
            result = fmd.import_file(db, alliance, areas, user, path, token=token)
        except DomainError as exc:
            st.error(
                "Nicht importiert (nichts gespeichert):\n\n"
                + "\n".join(f"- {plain(e)}" for e in exc.errors[:200])
            )
        else:
            message = f"{count_of(result.stored, 'Fläche', 'Flächen')} importiert."
            if result.known:
                message += (
                    f" {count_of(len(result.known), 'Fläche', 'Flächen')} schon im Kataster "
                    "(übersprungen): " + ", ".join(plain(k) for k in result.known[:50]) + "."
                )
            if result.risk_rows:
                message += (
                    f" {count_of(result.risk_rows, 'Zeile', 'Zeilen')} „Leerstandsrisiko“ "
                    "übersprungen (Auswertungen werden nicht eingelesen)."
                )
            web_session.saved(message)
