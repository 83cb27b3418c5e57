"""Shared rules for files people open in spreadsheets."""


def neutralise(value) -> str:
    """Spreadsheets run cells starting with = + - @ (or tab/CR) as formulas: prefix a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
