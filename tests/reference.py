"""Where the shared reference material (../shared/asm: spec examples and real recordings) lives.

The checkout sits next to ``shared/``; ``SMTUI_ASM_DIR`` points elsewhere when it does not. Tests
that compare against the recordings must not pass vacuously, so a missing folder is an error.
"""

from __future__ import annotations

import os
from pathlib import Path


def _asm_dir() -> Path:
    candidates = [
        os.environ.get("SMTUI_ASM_DIR", ""),
        str(Path(__file__).resolve().parents[2] / "shared" / "asm"),
        "/work/shared/asm",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "recordings").is_dir():
            return Path(candidate)
    raise RuntimeError(
        "the ASM reference material (shared/asm with recordings/ and examples/) was not found next to "
        "the checkout; set SMTUI_ASM_DIR"
    )


ASM = _asm_dir()
RECORDINGS = ASM / "recordings"
EXAMPLES = ASM / "examples"
