"""A contact as a vCard 4.0 (RFC 6350): text values escaped (backslash, comma, semicolon, line
break), lines folded at 75 octets without splitting a UTF-8 character, CRLF line ends."""

from __future__ import annotations

from allianz.places.model import Contact


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Physical lines of at most 75 octets; continuation lines start with one space."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # the leading space counts
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def card(contact: Contact, municipality: str, address: str = "", web: str = "") -> bytes:
    """The vCard of a public contact: the person (with consent) or the function, the
    municipality as organisation with the department as unit."""
    formatted = contact.person_name or contact.role or contact.department
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_escape(formatted)}",
    ]
    if contact.person_name:
        parts = contact.person_name.rsplit(" ", 1)
        family, given = (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")
        lines.append(f"N:{_escape(family)};{_escape(given)};;;")
        lines.append("KIND:individual")
    else:
        lines.append("KIND:org")
    lines.append(f"ORG:{_escape(municipality)};{_escape(contact.department)}")
    if contact.role:
        lines.append(f"TITLE:{_escape(contact.role)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=text:{_escape(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{_escape(contact.email)}")
    if address:
        lines.append(f"ADR;TYPE=work:;;{_escape(address)};;;;")
    if web:
        lines.append(f"URL:{web}")
    notes = []
    if contact.room:
        notes.append(f"Zimmer {contact.room}")
    if contact.office_hours:
        notes.append(f"Sprechzeiten {contact.office_hours}")
    if contact.keywords:
        notes.append(f"Zuständig für: {contact.keywords}")
    if notes:
        lines.append(f"NOTE:{_escape('. '.join(notes))}")
    if contact.keyword_list:
        lines.append("CATEGORIES:" + ",".join(_escape(k) for k in contact.keyword_list))
    lines.append(f"UID:urn:allianz:kontakt:{contact.id}")
    lines.append("END:VCARD")
    return ("\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n").encode()


def filename(contact: Contact) -> str:
    """An ASCII file name for the download ("kontakt-12.vcf")."""
    return f"kontakt-{contact.id}.vcf"
