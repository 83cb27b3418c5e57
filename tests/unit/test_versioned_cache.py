"""Sessions that miss the same key at once share one computation."""

from __future__ import annotations

import contextlib
import threading

from allianz.versioned_cache import VersionedCache


def test_concurrent_misses_compute_once_and_all_get_the_value():
    cache: VersionedCache[str] = VersionedCache(keep=4)
    started, release = threading.Event(), threading.Event()
    calls = []

    def compute() -> str:
        calls.append(1)
        started.set()
        release.wait(10)
        return "layer"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get(("v1",), compute)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["layer"] * 8
    assert len(calls) == 1


def test_a_failed_computation_leaves_no_gate_and_is_tried_again():
    cache: VersionedCache[int] = VersionedCache(keep=2)

    def broken() -> int:
        raise RuntimeError("kaputt")

    for _ in range(2):
        with contextlib.suppress(RuntimeError):
            cache.get("k", broken)
    assert cache.get("k", lambda: 7) == 7
    assert cache._gates == {}


def test_old_versions_are_evicted():
    cache: VersionedCache[int] = VersionedCache(keep=2)
    for version in range(3):
        cache.get(version, lambda v=version: v)
    assert cache.get(0, lambda: 99) == 99  # evicted, computed anew
    assert cache.get(2, lambda: 99) == 2
