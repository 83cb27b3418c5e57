"""One shared corpus of hostile text, fed into every text field by the trust tests."""

CORPUS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "<svg/onload=alert(3)>",
    "javascript:alert(4)",
    "`${window.__pwned=5}`",
    "${7*7} {{7*7}} <%= 7*7 %>",
    "'; DROP TABLE suggestions; --",
    '" OR 1=1 --',
    '=HYPERLINK("http://evil.example","klick")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1)",
    "\u202eRTL-Override\u202c und \u200fRLM",
    "Zeile1\nZeile2\r\nZeile3",
    "**fett** _kursiv_ [link](http://evil.example) :red[rot] $x^2$",
    "Steuer\x00zeichen\x07\x1b[31m",
    "Ä" * 480,
)


def expected_stored(text: str) -> str:
    """What the app keeps of a text: everything typed, minus control characters and the
    surrounding white space (the documented cleaning rule of allianz.text.clean)."""
    from allianz.text import clean

    return clean(text)
