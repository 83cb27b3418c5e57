"""The public frame of the site: the start page with the members on the map, the privacy
notice and the accessibility statement."""

from allianz.auth import EVERYONE
from allianz.features import Feature, Page

FEATURE = Feature(
    name="portal",
    label="Allianz",
    pages=(
        Page(
            "allianz/portal/pages/home.py",
            "Start",
            ":material/home:",
            "Allianz",
            "Die Mitgliedsgemeinden auf der Karte und in Zahlen.",
            "page.home",
            default=True,
        ),
        Page(
            "allianz/portal/pages/privacy.py",
            "Datenschutz",
            ":material/policy:",
            "Rechtliches",
            "Welche Daten wir speichern, wer sie sieht und welche Rechte Sie haben.",
            "page.privacy",
        ),
        Page(
            "allianz/portal/pages/accessibility.py",
            "Barrierefreiheit",
            ":material/accessibility_new:",
            "Rechtliches",
            "Erklärung zur Barrierefreiheit und wie Sie Barrieren melden.",
            "page.accessibility",
        ),
    ),
    permissions={"page.home": EVERYONE, "page.privacy": EVERYONE, "page.accessibility": EVERYONE},
)
