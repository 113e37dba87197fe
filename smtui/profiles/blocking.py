"""Run a call that may block forever (a locked Secret Service) with a timeout.

Both helpers run the call in a *daemon* thread. ``asyncio.to_thread`` would use the
loop's default executor, whose threads ``asyncio.run`` joins on shutdown: one keyring
call stuck on D-Bus would then keep smtui from exiting. A daemon thread that never
returns is simply abandoned when the timeout expires and dies with the process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def call_with_timeout(fn: Callable[..., T], /, *args: Any, timeout: float, what: str = "call") -> T:
    """Call ``fn(*args)`` in a daemon thread and wait at most ``timeout`` seconds.

    Args:
        fn: The blocking callable.
        *args: Its positional arguments.
        timeout: Seconds to wait before giving up on it.
        what: Named in the timeout message (e.g. ``"keyring get_password"``).

    Returns:
        What ``fn`` returned.

    Raises:
        TimeoutError: ``fn`` did not return in time (it keeps running, abandoned).
        Exception: Whatever ``fn`` raised.
    """
    done = threading.Event()
    box: dict[str, Any] = {}

    def runner() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # handed to the caller, who decides
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=runner, name=f"smtui-{what}", daemon=True).start()
    if not done.wait(timeout):
        raise TimeoutError(f"{what} did not answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


async def run_off_loop(fn: Callable[..., T], /, *args: Any, timeout: float | None = 10.0) -> T:
    """Await ``fn(*args)`` run in a daemon thread, so the event loop (the UI) never blocks.

    This is the async wrapper the TUI uses for every profile, keyring and import call,
    e.g. ``await run_off_loop(profile_connection, "prod", timeout=30)``.

    Args:
        fn: The blocking callable.
        *args: Its positional arguments.
        timeout: Seconds to wait; ``None`` waits as long as it takes.

    Returns:
        What ``fn`` returned.

    Raises:
        TimeoutError: ``fn`` did not return in time (the thread is abandoned).
        Exception: Whatever ``fn`` raised.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(value: Any, error: BaseException | None) -> None:
        if future.done():  # the waiter timed out or was cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def runner() -> None:
        value: Any = None
        error: BaseException | None = None
        try:
            value = fn(*args)
        except BaseException as exc:
            error = exc
        try:
            loop.call_soon_threadsafe(deliver, value, error)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    threading.Thread(target=runner, name=f"smtui-{getattr(fn, '__name__', 'call')}", daemon=True).start()
    return await asyncio.wait_for(future, timeout)
