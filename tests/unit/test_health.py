from allianz import health


def test_health_ok(empty_db):
    status, body = health.check()
    assert status == 200
    assert body["status"] == "ok" and body["database"] == "reachable"
    assert body["schema_version"] == body["schema_expected"] >= 1
    assert body["alliance"] == "partheland"


def test_health_reports_missing_database(db_path):
    status, body = health.check()
    assert status == 503
    assert body["status"] == "error" and "allianz db init" in body["detail"]
