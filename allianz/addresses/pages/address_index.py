"""Adressverzeichnis: import house coordinates, see what each municipality has, try the search."""

import tempfile
from pathlib import Path

import streamlit as st

from allianz import web_session
from allianz.addresses import service
from allianz.auth import Role
from allianz.errors import DomainError
from allianz.formatting import count_of, de_datetime
from allianz.ui import german_table, plain

user, alliance, db = web_session.open_page("page.address_index")
names = {m.ags: m.name for m in alliance.municipalities}

st.title("Adressverzeichnis")
st.write(
    "Mit dem Adressverzeichnis landen Hinweise an der Hausadresse, die Bürgerinnen und Bürger "
    "auf der Seite „Hinweis melden“ eingeben – ohne Internetdienst, nur mit diesen Daten. "
    "Ohne passende Adresse wird ein Hinweis beim gewählten Ortsteil eingeordnet."
)

st.subheader("Stand je Gemeinde")
st.caption(
    f"Insgesamt {count_of(service.total(db), 'Adresse', 'Adressen')}. Adressen von Häusern "
    "sind keine Personendaten; gespeichert werden Straße, Hausnummer, PLZ, Ort, Ortsteil und "
    "Koordinaten."
)
overview = service.overview(db, alliance)
for row in overview:
    row["übernommen am"] = de_datetime(row["übernommen am"], empty="")
st.dataframe(german_table(overview), hide_index=True, width="stretch")

st.subheader("Datei übernehmen")
scope = (
    "Alle Gemeinden der Datei werden übernommen."
    if user.role is Role.MANAGER
    else f"Übernommen werden nur die Adressen von {names.get(user.municipality_ags, '–')}; "
    "die übrigen übernimmt das Allianzmanagement."
)
st.write(
    "CSV (Trennzeichen ; oder ,), GeoJSON oder GeoPackage mit je einer Adresse pro Zeile: "
    "Straße, Hausnummer (und Zusatz), PLZ, Ort, Ortsteil und Koordinaten (Breite/Länge oder "
    "Rechts-/Hochwert). Erkannt werden auch die Spalten der Hauskoordinaten der Länder (STN, "
    "HNR, ADZ, PLZ, ONM, OTT, Ost/Nord) und eines OpenStreetMap-Auszugs (addr:street, "
    "addr:housenumber, addr:postcode, addr:city, addr:suburb), als GeoJSON oder GeoPackage "
    "gespeichert. Die Datei ersetzt das Verzeichnis jeder Gemeinde, die sie enthält; dieselbe "
    "Datei noch einmal ergibt dasselbe Verzeichnis. " + scope
)
upload = st.file_uploader(
    "Adressdatei",
    type=["csv", "txt", "geojson", "json", "gpkg"],
    max_upload_size=50,
    key=web_session.form_key("address-import"),  # empty again after a successful import
)
crs = st.selectbox(
    "Koordinatensystem (nur für Rechts-/Hochwert in CSV)",
    placeholder="Bitte wählen",
    options=list(service.CRS_CHOICES),
    format_func=service.CRS_CHOICES.get,
)
# A file far smaller than the index is taken only once confirmed (for this very file).
confirm = st.session_state.get("_address_shrink")
shrink = False
if confirm and upload is not None and upload.file_id == confirm[0]:
    st.warning(confirm[1])
    shrink = st.checkbox(
        "Ja, das Verzeichnis durch diese kleinere Datei ersetzen", key=f"shrink-{confirm[0]}"
    )
if st.button("Übernehmen", type="primary"):
    if upload is None:
        st.error("Bitte zuerst eine Datei wählen.")
    else:
        try:
            with tempfile.TemporaryDirectory(prefix="allianz-addresses-") as tmp:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                token = web_session.form_token("address-import", upload.file_id, crs)
                summary = service.import_file(
                    db, alliance, user, path, crs=crs or None, token=token,
                    source=upload.name, allow_shrink=shrink,
                )  # fmt: skip
        except service.ShrinkUnconfirmed as exc:
            st.session_state["_address_shrink"] = (upload.file_id, " ".join(exc.errors))
            st.rerun()
        except DomainError as exc:
            for message in exc.errors:
                st.error(message)
        else:
            st.session_state.pop("_address_shrink", None)
            web_session.clear_form("address-import")
            web_session.saved(summary.message(names))

st.subheader("Suche ausprobieren")
query = st.text_input(
    "Adresse suchen",
    type="search",
    live=True,
    max_chars=200,
    placeholder="z. B. Dorfstraße 5 Beucha",
    help="Wie auf der Seite „Hinweis melden“: Straße, Hausnummer, Ort oder Ortsteil in "
    "beliebiger Reihenfolge; Str. und Straße, ß und ss, ä und ae gelten gleich.",
)
if query.strip():
    hits = service.search(db, query)
    if hits:
        st.dataframe(
            german_table(
                [
                    {
                        "Adresse": hit.label,
                        "Gemeinde": names.get(hit.municipality_ags, hit.municipality_ags),
                        "Breite": hit.lat,
                        "Länge": hit.lon,
                    }
                    for hit in hits
                ],
                digits={"Breite": 6, "Länge": 6},
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        place = service.guess_locality(service.localities(db, alliance), query)
        where = f" Ein Hinweis würde beim Ortsteil {place.label} eingeordnet." if place else ""
        st.info(plain("Keine passende Adresse." + where))
