"""Alliance administration: accounts, official boundaries, the full audit trail."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from allianz import audit, web_session
from allianz.accounts import service as accounts
from allianz.auth import ROLE_LABELS
from allianz.errors import DomainError
from allianz.municipalities import service as municipalities
from allianz.ui import audit_table

user, alliance, db = web_session.open_page("page.admin")

st.title("Allianzverwaltung")

st.subheader("Konten")
users = pd.DataFrame(accounts.list_users(db))
if not users.empty:
    users["role"] = users["role"].map(lambda r: ROLE_LABELS.get(r, r))
    st.dataframe(
        users.rename(
            columns={
                "username": "Benutzer",
                "display_name": "Name",
                "role": "Rolle",
                "municipality_ags": "Gemeinde (AGS)",
                "email": "E-Mail",
                "active": "aktiv",
                "created_at": "angelegt",
            }
        ),
        hide_index=True,
        width="stretch",
    )
st.caption("Konten anlegen: `allianz users add NAME --role ROLLE [--municipality AGS]`.")

st.subheader("Amtliche Gemeindegrenzen übernehmen")
st.write(
    "BKG-Datensatz VG250, Ebene `VG250_GEM` (EPSG:25832), als GeoPackage oder gezipptes "
    "Shapefile. Übernommen werden nur die Gemeinden dieser Allianz; fehlt eine, wird nichts "
    "geändert."
)
upload = st.file_uploader("VG250-Datei", type=["gpkg", "zip", "geojson", "json"])
if upload is not None and st.button("Grenzen übernehmen", type="primary"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            done = municipalities.import_boundaries(db, alliance, path, user.actor)
        except DomainError as exc:
            st.error(str(exc))
        else:
            st.success(f"Amtliche Grenzen für {len(done)} Gemeinden übernommen.")

st.subheader("Protokoll aller Änderungen")
audit_table(audit.recent(db, limit=300))
