"""What the fan-out tests share: a real client that counts the Get Hosted Service calls it serves."""

from __future__ import annotations

from typing import Any

from smtui.api import ServiceManagementClient


class CountingClient(ServiceManagementClient):
    """The real client, counting the Get Hosted Service calls started and not yet answered.

    Attributes:
        started: Calls started.
        answered: Calls returned (answered or failed).
        most_started_ahead: The most calls started and not yet returned at once.
        most_backing_off: The most requests waiting out a back-off or Retry-After when a call started.
    """

    started = 0
    answered = 0
    most_started_ahead = 0
    most_backing_off = 0

    async def get_hosted_service(self, *args: Any, **kwargs: Any) -> Any:
        self.started += 1
        self.most_started_ahead = max(self.most_started_ahead, self.started - self.answered)
        self.most_backing_off = max(self.most_backing_off, self.transport.backing_off)
        try:
            return await super().get_hosted_service(*args, **kwargs)
        finally:
            self.answered += 1
