"""A throwaway slice for the registry tests: path sponsors ("Wegepaten") with one table that
holds an e-mail address, one page, one permission and one figure. Registered by one line
(adding "tests.throwaway_slice" to `features.SLICES`); no central module knows it."""

from allianz.auth import Role
from allianz.features import Feature, Page, PersonalData
from tests.throwaway_slice import service

FEATURE = Feature(
    name="path_sponsors",
    label="Wegepaten",
    pages=(
        Page(
            "tests/throwaway_slice/page.py",
            "Wegepaten",
            ":material/volunteer_activism:",
            "Netze",
            "Wer welchen Weg pflegt.",
            "page.path_sponsors",
        ),
    ),
    permissions={"page.path_sponsors": frozenset({Role.STAFF, Role.MANAGER})},
    personal_data=(
        PersonalData(
            table="path_sponsors",
            columns=("sponsor_email",),
            export_key="path_sponsors",
            export=service.export,
            erase=service.erase,
            purge=service.purge,
            retention="Bis zum Ende der Patenschaft.",
        ),
    ),
    figures=service.figures,
)
