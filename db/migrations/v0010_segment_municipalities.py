"""Which member municipalities each network segment crosses (a JSON list of AGS), so that a
municipality's staff may act on exactly the segments that belong to it; and the boundary
version the list was computed for, so a change of boundaries marks it stale. Rows written
before this version start stale and are computed on first use."""

from db.migrations import migrations


@migrations(name="0010_segment_municipalities")
def segment_municipalities(db):
    db.execute("ALTER TABLE segments ADD COLUMN municipalities TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE segments ADD COLUMN municipalities_for TEXT")
