"""Building developments, second step: an optional map point (WGS84) on a member's statement,
and an index for the answers of one member (the "Meine Gemeinde" entry, the answer-time
figure)."""

from db.migrations import migrations


@migrations(name="0023_developments_more")
def developments_more(db):
    db.execute("ALTER TABLE development_members ADD COLUMN statement_lon REAL")
    db.execute("ALTER TABLE development_members ADD COLUMN statement_lat REAL")
    db.execute(
        "CREATE INDEX development_members_open ON development_members(ags, answer, development_id)"
    )
