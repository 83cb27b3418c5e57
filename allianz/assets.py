"""Browser assets served by the app itself: copied into static/ at set-up.

The pages must not ask a CDN for anything (GDPR; and tests run offline), so every script and
stylesheet a map needs is listed here: vendor files with the npm file they come from, and our
own map scripts from assets/js (real files, linted by ESLint, instead of JS in Python strings).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = PROJECT_ROOT / "node_modules"
STATIC_DIR = PROJECT_ROOT / "static"
VENDOR = "vendor"
URL_PREFIX = f"/app/static/{VENDOR}"

_MC = "leaflet.markercluster/dist"
# local name -> file inside node_modules
FILES = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "markercluster/MarkerCluster.css": f"{_MC}/MarkerCluster.css",
    "markercluster/MarkerCluster.Default.css": f"{_MC}/MarkerCluster.Default.css",
    "supercluster/supercluster.min.js": "supercluster/dist/supercluster.min.js",
}
# whole folders (marker and layer-control images the CSS refers to)
FOLDERS = {
    "leaflet/images": "leaflet/dist/images",
}

# our own map scripts: assets/js/<name> is served at /app/static/js/<name>
OWN_JS_SOURCE = PROJECT_ROOT / "assets" / "js"
OWN_JS = "js"
OWN_JS_PREFIX = f"/app/static/{OWN_JS}"
OWN_FILES = (
    "focus-without-scroll.js",
    "german-ui.js",
    "point-cluster.js",
    "prefetch-rows.js",
    "refit-when-shown.js",
    "segment-lines.js",
)


def url(local_name: str) -> str:
    if local_name not in FILES and local_name.rsplit("/", 1)[0] not in FOLDERS:
        raise KeyError(f"asset {local_name} is not installed by allianz.assets")
    return f"{URL_PREFIX}/{local_name}"


def _own_source(name: str) -> Path:
    if name not in OWN_FILES:
        raise KeyError(f"script {name} is not one of allianz.assets.OWN_FILES")
    return OWN_JS_SOURCE / name


@functools.cache
def own_url(name: str) -> str:
    """URL of one of our scripts, versioned by its content: browsers keep static files for a
    day, and after an upgrade a page must not call last version's script."""
    digest = hashlib.sha256(_own_source(name).read_bytes()).hexdigest()[:12]
    return f"{OWN_JS_PREFIX}/{name}?v={digest}"


@functools.cache
def own_script(name: str) -> str:
    """The text of one of our scripts, for the one that must run before any file loads."""
    return _own_source(name).read_text(encoding="utf-8")


DATA = "data"
_KEEP_DATA = 64
_LAYER = re.compile(r"[a-z0-9_]+")


def layer(kind: str, db: sqlite_utils.Database) -> str:
    """Name of one published layer: a kind of map rows of one database, so that withdrawing
    something from one alliance's map removes that alliance's files only."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return f"{kind}_{hashlib.sha256(path.encode()).hexdigest()[:10]}"


def publish(layer: str, text: str, static_dir: Path | None = None) -> str:
    """Serve `text` (public map rows only) as a static file of `layer` and return its URL.

    Large map layers are fetched by the map instead of travelling inside the component's
    arguments over the websocket. The name carries a hash of the content; the newest files of
    the layer are kept (filters and other sessions may still show them), older ones removed.
    A gzip copy is written once beside it (`static_files.StaticFiles` serves it) instead of
    compressing on every request.
    """
    if not _LAYER.fullmatch(layer):
        raise ValueError(f"layer name {layer!r}: only a-z, 0-9 and _")
    folder = (static_dir or STATIC_DIR) / DATA
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{layer}.{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"
    target, packed = folder / name, folder / f"{name}.gz"
    if not (target.exists() and packed.exists()):
        data = text.encode("utf-8")
        _replace(packed, gzip.compress(data, compresslevel=6, mtime=0))
        _replace(target, data)  # last: the file's presence promises its gzip copy
        for old in sorted(_files(folder, layer), key=_mtime)[:-_KEEP_DATA]:
            _remove(old)
    return f"/app/static/{DATA}/{name}"


def retract(layer: str, static_dir: Path | None = None) -> int:
    """Stop serving every published file of `layer` at once: called after a write that may
    take something off a public map (consent withdrawn, hidden), since an older file would
    still show it. Pages publish the current rows again on their next run."""
    files = list(_files((static_dir or STATIC_DIR) / DATA, layer))
    for file in files:
        _remove(file)
    return len(files)


def _files(folder: Path, layer: str) -> Iterator[Path]:
    return folder.glob(f"{layer}.*.json")


def _mtime(file: Path) -> float:
    try:
        return file.stat().st_mtime
    except FileNotFoundError:  # removed meanwhile by another process
        return 0.0


def _remove(file: Path) -> None:
    file.unlink(missing_ok=True)
    file.with_name(file.name + ".gz").unlink(missing_ok=True)


def _replace(target: Path, data: bytes) -> None:
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    scratch.write_bytes(data)
    scratch.replace(target)


def missing(static_dir: Path = STATIC_DIR) -> list[str]:
    """Files not (or, for our own scripts, not as currently written) in the static folder."""
    vendor = [name for name in FILES if not (static_dir / VENDOR / name).is_file()]
    own = [
        f"{OWN_JS}/{name}"
        for name in OWN_FILES
        if not (static_dir / OWN_JS / name).is_file()
        or (static_dir / OWN_JS / name).read_bytes() != _own_source(name).read_bytes()
    ]
    return vendor + own


def install(node_modules: Path = NODE_MODULES, static_dir: Path = STATIC_DIR) -> int:
    target = static_dir / VENDOR
    copied = 0
    for local, source in FILES.items():
        src = node_modules / source
        if not src.is_file():
            raise FileNotFoundError(f"{src} fehlt: bitte `npm ci` ausführen (make setup)")
        dest = target / local
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        copied += 1
    for local, source in FOLDERS.items():
        shutil.copytree(node_modules / source, target / local, dirs_exist_ok=True)
    own = static_dir / OWN_JS
    own.mkdir(parents=True, exist_ok=True)
    for name in OWN_FILES:
        shutil.copyfile(_own_source(name), own / name)
        copied += 1
    return copied


if __name__ == "__main__":
    count = install()
    print(f"{count} Dateien nach {STATIC_DIR} kopiert")
    sys.exit(0)
