"""German number formatting for the UI (1.234,5), in one place."""


def de_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def de_float(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
