"""The review page shows an Open311 reporter's details to the staff who handle the suggestion,
and saving no longer sends mail in the page run: the background delivery does."""

from allianz.auth import Role
from allianz.mail import outbox
from allianz.municipalities import service as municipalities
from allianz.suggestions import service

REVIEW = "allianz/suggestions/pages/review.py"


def _open311(db, alliance):
    return service.submit(
        db,
        alliance,
        municipalities.areas(db),
        service.Submission(
            "lighting",
            "Lampe defekt",
            "Flackert.",
            51.2778,
            12.5883,
            email="max@example.org",
            email_consent=True,
            first_name="Max",
            last_name="*Muster*",
            phone="0341 1234",
            media_url="https://fotos.example/1.jpg",
            source="open311",
        ),
    )


def _markdown(at) -> str:
    return "\n".join(str(e.value) for e in at.markdown)


def test_reporter_shown_to_staff_and_mail_left_to_the_worker(run_page, db, alliance):
    created = _open311(db, alliance)
    at = run_page("main.py", Role.MANAGER)
    at.switch_page(REVIEW).run()
    next(s for s in at.selectbox if s.label == "Hinweis bearbeiten").select(created.id).run()
    shown = _markdown(at)
    assert r"Max \*Muster\* · max@example\.org · 0341 1234" in shown  # escaped, as sent
    assert "https://fotos.example/1.jpg" in shown.replace("\\", "")
    next(t for t in at.text_area if t.label == "Öffentliche Antwort").input("Wird repariert.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert any("erhält eine E-Mail" in s.value for s in at.success)
    # queued, not sent and not tried: no SMTP round trip inside the page run
    row = db.execute("SELECT recipient, attempts, sent_at FROM mail_outbox").fetchone()
    assert row == ("max@example.org", 0, None)
    assert outbox.pending_count(db) == 1


def test_staff_of_another_municipality_sees_no_reporter(run_page, db, alliance):
    _open311(db, alliance)  # Naunhof; the staff account is Borsdorf's
    at = run_page("main.py", Role.STAFF)
    at.switch_page(REVIEW).run()
    assert "Max" not in _markdown(at)
