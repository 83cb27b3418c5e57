"""Ask the mayor: consultation hours of a mayor or the alliance speaker, the citizens'
questions with their moderation state and answer, and one support mark per visitor.

Times are stored as UTC ISO strings; pages show them in Europe/Berlin. A support mark is a
salted hash of one of the visitor's keys (`allianz.visitors.pseudonyms`), never an address.
"""

from db.migrations import migrations


@migrations(name="0021_mayor_hours")
def mayor_hours(db):
    db.execute(
        """CREATE TABLE mayor_hours (
            id INTEGER PRIMARY KEY,
            host_kind TEXT NOT NULL,
            municipality_ags TEXT,
            host_title TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '',
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            current_question_id INTEGER,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX mayor_hours_end ON mayor_hours(ends_at)")
    db.execute(
        """CREATE TABLE mayor_questions (
            id INTEGER PRIMARY KEY,
            hour_id INTEGER NOT NULL REFERENCES mayor_hours(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            background TEXT NOT NULL DEFAULT '',
            shown_name TEXT NOT NULL DEFAULT '',
            asker_email TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            hold_reason TEXT,
            merged_into INTEGER REFERENCES mayor_questions(id),
            supports INTEGER NOT NULL DEFAULT 0,
            answer TEXT NOT NULL DEFAULT '',
            answer_kind TEXT,
            answered_at TEXT,
            answered_by TEXT,
            suggestion_ref TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        "CREATE INDEX mayor_questions_queue ON mayor_questions(hour_id, state, supports DESC)"
    )
    db.execute("CREATE INDEX mayor_questions_email ON mayor_questions(asker_email)")
    db.execute(
        """CREATE TABLE mayor_question_supports (
            question_id INTEGER NOT NULL REFERENCES mayor_questions(id) ON DELETE CASCADE,
            mark TEXT NOT NULL,
            PRIMARY KEY (question_id, mark)
        )"""
    )
