"""One online ballot per workshop and visitor (issue 18).

A row says "this visitor has cast an online ballot in this workshop": a salted hash of one of
the visitor's keys (account, or address and visitor cookie; `allianz.visitors.pseudonyms`),
never the key itself. Rows are deleted when the workshop's online phase ends (`until`).
"""

from db.migrations import migrations


@migrations(name="0013_workshop_voters")
def workshop_voters(db):
    db.execute(
        """CREATE TABLE workshop_voters (
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            voter TEXT NOT NULL,
            until TEXT NOT NULL,
            PRIMARY KEY (workshop_id, voter)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX workshop_voters_until ON workshop_voters(until)")
