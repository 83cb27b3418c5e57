"""Uploaded photos keep the orientation the camera recorded, and lose the EXIF block."""

from __future__ import annotations

import io

from PIL import Image

from allianz import images

ORIENTATION = 0x0112


def _phone_photo(orientation: int) -> bytes:
    """80×40 pixels as stored by a camera held upright: left half red, right half blue,
    with the EXIF orientation that tells viewers how to turn it."""
    image = Image.new("RGB", (80, 40), "blue")
    image.paste("red", (0, 0, 40, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Kamera GmbH"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def _colour(image: Image.Image, x: int, y: int) -> str:
    r, _, b = image.getpixel((x, y))
    return "red" if r > b else "blue"


def test_a_photo_turned_by_exif_is_stored_upright_without_exif():
    jpeg, width, height = images.sanitize_photo(_phone_photo(6))  # 6: turn 90° clockwise
    stored = Image.open(io.BytesIO(jpeg))
    assert (width, height) == stored.size == (40, 80)
    assert _colour(stored, 20, 10) == "red" and _colour(stored, 20, 70) == "blue"
    assert not stored.getexif()
    assert b"Kamera GmbH" not in jpeg


def test_an_upright_photo_stays_as_it_is():
    jpeg, width, height = images.sanitize_photo(_phone_photo(1))
    stored = Image.open(io.BytesIO(jpeg))
    assert (width, height) == (80, 40)
    assert _colour(stored, 10, 20) == "red" and _colour(stored, 70, 20) == "blue"
    assert not stored.getexif()


def test_a_broken_orientation_does_not_refuse_the_photo():
    jpeg, width, height = images.sanitize_photo(_phone_photo(99))
    assert (width, height) == (80, 40) and jpeg.startswith(b"\xff\xd8")
