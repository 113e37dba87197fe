"""Where smtui keeps its files: the config dir (profiles, certificates) and the data dir.

Both follow the platform's conventions (``platformdirs``). ``SMTUI_CONFIG_DIR`` and
``SMTUI_DATA_DIR`` override them, which tests and people with unusual set-ups rely on.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import platformdirs

APP_NAME = "smtui"

ENV_CONFIG_DIR = "SMTUI_CONFIG_DIR"
"""Environment variable overriding the config directory."""

ENV_DATA_DIR = "SMTUI_DATA_DIR"
"""Environment variable overriding the data directory."""

_thread_lock = threading.RLock()


def config_dir() -> Path:
    """The directory of profiles, certificates and credential fallbacks (not created)."""
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The directory of the pending operations file and the embedded emulator's state (not created)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def emulator_data_dir() -> Path:
    """Where the emulator keeps its state by default: ``<data dir>/emulator``.

    Shared by ``smtui emulator`` and the console's embedded emulator, so both see the same subscription.
    """
    return data_dir() / "emulator"


def certs_dir() -> Path:
    """Where imported management certificates and keys are written (inside the config dir)."""
    return config_dir() / "certs"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it accessible to the owner only (0700).

    The mode is forced even when the directory already exists: it holds private keys.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically to ``path``, readable by the owner only (0600 from creation on).

    The parent directory is created 0700. The file never exists with wider permissions,
    not even for an instant, because it is created with ``O_CREAT`` and mode 0600.
    """
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# Any: a JSON file holds whatever was written (object, list, text …); readers check its shape.
JsonObject = dict[str, Any]
"""A JSON object as ``json.loads`` gives it: values of any JSON type, checked by their reader."""


def read_json(path: Path, default: object) -> Any:  # Any: parsed JSON, see JsonObject
    """The JSON content of ``path``, or ``default`` when the file does not exist."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        # A parent that is a file (an unusable HOME) cannot hold the file either.
        return default
    if not raw.strip():
        return default
    return json.loads(raw)


def write_json(path: Path, value: object, *, private: bool = True) -> None:
    """Write ``value`` as indented JSON, atomically (0600 unless ``private`` is False)."""
    data = (json.dumps(value, indent=2, sort_keys=False) + "\n").encode("utf-8")
    if private:
        write_private_file(path, data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``<path>.lock`` (read-modify-write of a shared file).

    The TUI and the CLI may update the same file at once. Where ``fcntl`` does not exist
    (Windows) this only serialises threads of this process.
    """
    with _thread_lock:
        ensure_private_dir(path.parent)
        lock_path = path.with_name(f".{path.name}.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
