"""Submission results: what a claimed token created, so a client that repeats a request
(an Open311 Idempotency-Key after a lost answer) gets the first answer again, and a
hash of that request, so a key reused for a different request is refused."""

from db.migrations import migrations


@migrations(name="0011_submission_results")
def submission_results(db):
    db.execute("ALTER TABLE submissions ADD COLUMN request_hash TEXT")
    db.execute("ALTER TABLE submissions ADD COLUMN result TEXT")
