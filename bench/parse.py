"""Benchmark: parse the real 949-image ListOSImages response into models.

Compares, on the same bytes (``azure-sdk-for-net/129-ListOSImages.json``, ``response_body``):

* smtui: ``codec.parse_list(OSImage, body)`` — hardened ``parse_xml`` + typed models;
* bare ``lxml.etree.fromstring(body)`` (no models at all: the floor);
* azure-servicemanagement-legacy 0.20.8: ``_MinidomXmlToObject.parse_response(…, Images)``, which is
  what ``ServiceManagementService.list_os_images()`` runs on the response body.

Runs are interleaved and the median of each is reported. Targets (issue 2): smtui ≥ 25× faster
than the legacy SDK and ≤ 4× bare lxml.

Usage: ``python bench/parse.py [--runs N] [--legacy-runs N]``
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from smtui.api import codec
from smtui.api.models import OSImage

# The reference recordings are vendored in the repository (tests/fixtures/asm).
ASM = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "asm"
RECORDING = ASM / "recordings" / "azure-sdk-for-net" / "129-ListOSImages.json"


def _legacy() -> Callable[[bytes], Any] | None:
    try:
        from azure.servicemanagement import Images  # type: ignore[import-untyped]
        from azure.servicemanagement._serialization import _MinidomXmlToObject  # type: ignore[import-untyped]
    except ImportError:
        return None

    def parse(body: bytes) -> Any:
        # The SDK hands its HTTP response object to this parser; only ``.body`` is read.
        return _MinidomXmlToObject.parse_response(types.SimpleNamespace(body=body), Images)

    return parse


def _time(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--legacy-runs", type=int, default=7)
    args = parser.parse_args(argv)

    body = json.loads(RECORDING.read_text())["response_body"].encode("utf-8")
    legacy = _legacy()

    images = codec.parse_list(OSImage, body)
    assert len(images) == 949 and all(image.name for image in images), len(images)
    if legacy is not None:
        assert len(legacy(body)) == len(images)

    smtui_times: list[float] = []
    lxml_times: list[float] = []
    legacy_times: list[float] = []
    for run in range(args.runs):
        smtui_times.append(_time(lambda: codec.parse_list(OSImage, body)))
        lxml_times.append(_time(lambda: etree.fromstring(body)))
        if legacy is not None and run < args.legacy_runs:
            legacy_times.append(_time(lambda: legacy(body)))

    smtui_ms = statistics.median(smtui_times) * 1000
    lxml_ms = statistics.median(lxml_times) * 1000
    print(f"ListOSImages: {len(body):,} bytes, {len(images)} images, median of {args.runs} runs")
    print(f"  smtui  codec.parse_list(OSImage)     {smtui_ms:8.2f} ms")
    print(f"  lxml   etree.fromstring (no models)  {lxml_ms:8.2f} ms")
    ok = smtui_ms <= 4 * lxml_ms
    if legacy is not None:
        legacy_ms = statistics.median(legacy_times) * 1000
        print(f"  legacy azure-servicemanagement      {legacy_ms:8.2f} ms  (median of {len(legacy_times)})")
        print(f"  smtui is {legacy_ms / smtui_ms:5.1f}x faster than legacy (target >= 25x)")
        ok = ok and legacy_ms / smtui_ms >= 25
    else:
        print("  legacy: azure-servicemanagement-legacy not installed (pip install '.[bench]')")
    print(f"  smtui / lxml = {smtui_ms / lxml_ms:4.2f}x (target <= 4x)")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
