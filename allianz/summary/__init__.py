"""The steering group's summary (Lenkungsgruppe) and the council report (Sitzungsvorlage)."""
