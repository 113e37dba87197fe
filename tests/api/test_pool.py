"""The linear keep-alive pool under a fan-out: bounded connections, reused, every answer back."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details
from smtui.api.pool import LinearPoolMixin, uses_linear_pool


def _client(emu: Any, **options: Any) -> ServiceManagementClient:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file), **options}
    return ServiceManagementClient(emu.subscription_id, auth, options)


async def test_fan_out_opens_at_most_max_in_flight_connections_and_reuses_them(
    emulator: Any, no_proxy_env: None
) -> None:
    async with _client(emulator, max_in_flight=4, adaptive=False) as client:
        names = [s.service_name or "" for s in (await client.list_hosted_services()).result()]
        transport = client.transport._http()._transport
        assert uses_linear_pool(transport)
        pool = transport._pool  # type: ignore[attr-defined]
        created = 0
        create = pool.create_connection

        def counting(origin: Any) -> Any:
            nonlocal created
            created += 1
            return create(origin)

        pool.create_connection = counting
        results = [r async for r in iter_service_details(client, names * 6)]

        assert len(results) == len(names) * 6 and all(r.ok for r in results)
        assert 1 <= created <= 4 and len(pool.connections) <= 4
        assert client.transport.in_flight == 0


async def test_the_proxy_pool_is_linear_too(emulator: Any, no_proxy_env: None) -> None:
    async with _client(emulator) as client:
        client.transport.set_proxy_url("http://127.0.0.1:9")
        assert uses_linear_pool(client.transport._http()._transport)


class _Conn:
    """A stand-in connection: states as httpcore's connections report them."""

    def __init__(self, state: str = "idle") -> None:
        self.state = state

    def is_closed(self) -> bool:
        return self.state == "closed"

    def is_available(self) -> bool:
        return self.state == "idle"

    def is_idle(self) -> bool:
        return self.state == "idle"

    def has_expired(self) -> bool:
        return self.state == "expired"

    def can_handle_request(self, origin: Any) -> bool:
        return True


class _Request:
    def __init__(self) -> None:
        self.connection: Any = None
        self.request = SimpleNamespace(url=SimpleNamespace(origin="https://h:1"))

    def assign_to_connection(self, connection: Any) -> None:
        self.connection = connection


class _Pool(LinearPoolMixin):
    def __init__(self, size: int) -> None:
        self._connections, self._requests = [], []
        self._max_connections = self._max_keepalive_connections = size
        self._linear_init()

    def create_connection(self, origin: Any) -> Any:
        return _Conn("new")


def _request(pool: _Pool) -> _Request:
    request = _Request()
    pool._requests.append(request)
    return request


def test_a_freed_connection_is_reused_and_unusable_ones_are_closed_not_leaked() -> None:
    pool = _Pool(2)
    first, second = _request(pool), _request(pool)
    assert pool._assign_requests_to_connections() == []
    assert first.connection is not second.connection and len(pool._connections) == 2

    # first finished normally (idle); second was cancelled before its connection ever connected
    first.connection.state = "idle"
    pool._requests.clear()
    pool._assign_requests_to_connections()
    third, fourth = _request(pool), _request(pool)
    closing = pool._assign_requests_to_connections()

    assert third.connection is first.connection or fourth.connection is first.connection
    assert closing == [second.connection]  # the never-connected one is closed …
    assert second.connection not in pool._connections and len(pool._connections) == 2  # … not counted


def test_a_full_pool_keeps_requests_queued_until_a_connection_is_freed() -> None:
    pool = _Pool(1)
    first = _request(pool)
    pool._assign_requests_to_connections()
    waiting = _request(pool)
    pool._assign_requests_to_connections()
    assert waiting.connection is None

    first.connection.state = "idle"
    pool._requests.remove(first)
    pool._assign_requests_to_connections()
    assert waiting.connection is first.connection and len(pool._connections) == 1
