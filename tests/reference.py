"""Where the ASM reference material (spec examples and real recordings) lives: in the repository.

``tests/fixtures/asm`` is a vendored copy of the team's shared reference (see its README), so the
test suite passes on a fresh clone with nothing beside it. Tests that compare against the recordings
must not pass vacuously, so a missing folder is an error, never a skip.
"""

from __future__ import annotations

from pathlib import Path

ASM = Path(__file__).resolve().parent / "fixtures" / "asm"
if not (ASM / "recordings").is_dir() or not (ASM / "examples").is_dir():
    raise RuntimeError(f"the vendored ASM reference material is missing: {ASM} (recordings/ and examples/)")
RECORDINGS = ASM / "recordings"
EXAMPLES = ASM / "examples"
