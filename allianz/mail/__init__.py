"""Outgoing e-mail: the outbox (queued in the same transaction as the change, delivered
afterwards), its personal data and its command."""

from allianz.features import Feature
from allianz.mail import cli, personal_data
from allianz.mail.outbox import Attachment, SmtpSettings, deliver_pending, pending_count, queue

__all__ = ["FEATURE", "Attachment", "SmtpSettings", "deliver_pending", "pending_count", "queue"]

FEATURE = Feature(
    name="mail",
    label="E-Mail-Ausgang",
    personal_data=(personal_data.OUTBOX,),
    cli=cli.group,
)
