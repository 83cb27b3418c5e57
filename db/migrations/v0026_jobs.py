"""The job board ("Stellenbörse"): postings of the members with their deadline
(`valid_through`, a Berlin calendar day; listed through its end), the reminder before it and
the withdrawal. Contact details of a person are kept with the person's consent only and are
declared personal data (allianz/jobs/personal_data.py)."""

from db.migrations import migrations


@migrations(name="0026_jobs")
def jobs(db):
    db.execute(
        """CREATE TABLE job_postings (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            pay_grade TEXT NOT NULL DEFAULT '',
            part_time INTEGER NOT NULL DEFAULT 0,
            hours_per_week REAL,
            starts_on TEXT,
            valid_through TEXT NOT NULL,
            workplace TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL,
            apply_text TEXT NOT NULL DEFAULT '',
            apply_url TEXT NOT NULL DEFAULT '',
            apply_email TEXT NOT NULL DEFAULT '',
            contact_name TEXT NOT NULL DEFAULT '',
            contact_phone TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            contact_consent INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'open',
            withdrawn_reason TEXT NOT NULL DEFAULT '',
            reminded_at TEXT,
            created_by TEXT NOT NULL,
            created_by_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX job_postings_open ON job_postings(state, valid_through)")
    db.execute(
        "CREATE INDEX job_postings_member ON job_postings(municipality_ags, state, valid_through)"
    )
    db.execute("CREATE INDEX job_postings_contact ON job_postings(contact_email)")
