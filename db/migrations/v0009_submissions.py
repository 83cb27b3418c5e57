"""Submission tokens: every create action records the token of the form it came from in the
same transaction, so a second click or a resubmitted form cannot store the same thing twice."""

from db.migrations import migrations


@migrations(name="0009_submissions")
def submissions(db):
    db.execute(
        "CREATE TABLE submissions (token TEXT PRIMARY KEY, action TEXT NOT NULL, at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX submissions_at ON submissions(at)")
