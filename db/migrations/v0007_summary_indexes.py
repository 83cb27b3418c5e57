"""Indexes for the steering group's summary: suggestions and workshops by period."""

from db.migrations import migrations


@migrations(name="0007_summary_indexes")
def summary_indexes(db):
    db.execute("CREATE INDEX suggestions_created ON suggestions(created_at)")
    db.execute("CREATE INDEX workshops_start ON workshops(starts_at)")
