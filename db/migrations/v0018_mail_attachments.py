"""A queued mail may carry one attachment (an invitation's .ics file)."""

from db.migrations import migrations


@migrations(name="0018_mail_attachments")
def mail_attachments(db):
    db.execute("ALTER TABLE mail_outbox ADD COLUMN attachment_file TEXT")
    db.execute("ALTER TABLE mail_outbox ADD COLUMN attachment_type TEXT")
    db.execute("ALTER TABLE mail_outbox ADD COLUMN attachment BLOB")
