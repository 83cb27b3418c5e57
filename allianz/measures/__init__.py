"""Measures (Maßnahmen) of the alliance: the steering group's matrix as data."""
