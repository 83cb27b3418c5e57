"""Uploaded photos: only real JPEG/PNG, no decompression bombs, re-encoded without metadata.

Re-encoding drops EXIF (camera, GPS position, time) and anything hidden in the file. The
EXIF orientation is applied to the pixels first, so a phone photo taken upright stays upright.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from allianz.errors import ValidationError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_EDGE = 1600


class PhotoError(ValidationError):
    """A refused photo; the message is German."""


def _too_many_pixels() -> PhotoError:
    return PhotoError(
        f"Das Foto hat zu viele Bildpunkte (höchstens {MAX_PIXELS // 1_000_000} Megapixel)."
    )


def _upright(image: Image.Image) -> Image.Image:
    """Turn the pixels as the EXIF orientation says; a broken EXIF block leaves them as
    they are (the photo is still worth more than a refusal)."""
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, TypeError, KeyError, OSError, struct.error):
        return image


def sanitize_photo(data: bytes) -> tuple[bytes, int, int]:
    """Return (jpeg, width, height) of a clean copy, or raise PhotoError."""
    if len(data) > MAX_BYTES:
        raise PhotoError("Das Foto ist größer als 5 MB.")
    if not (data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")):
        raise PhotoError("Nur Fotos im Format JPEG oder PNG sind möglich.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("JPEG", "PNG"):
                raise PhotoError("Nur Fotos im Format JPEG oder PNG sind möglich.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        # PIL refuses images far beyond its own pixel limit already when opening them
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError("Die Datei ist kein lesbares Foto.") from exc
    image = _upright(image)
    image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), image.width, image.height
