"""A deadline for a whole HTTP request, not for each read.

httpx's timeouts apply per operation: a server that sends one byte every half
second never trips a 3 s read timeout and can hold a request for minutes.
:func:`bound_client` wraps the network layer of an ``httpx.Client`` so every
connect, read and write gets at most the time left until the calling thread's
deadline (set with :func:`deadline_for`), and fails with httpcore's own timeout
once it has passed: headers or body, fast or dripping, a request ends by then.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Iterator

_local = threading.local()


@contextlib.contextmanager
def deadline_for(seconds: float) -> Iterator[float]:
    """Every network operation of this thread inside the block ends ``seconds`` from now at the latest."""
    _local.deadline = time.monotonic() + seconds
    try:
        yield _local.deadline
    finally:
        _local.deadline = None


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


def _stream_class():
    import httpcore

    class DeadlineStream(httpcore.NetworkStream):
        def __init__(self, inner: Any):
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
            return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class DeadlineBackend(httpcore.NetworkBackend):
        def __init__(self, inner: Any):
            self._inner = inner

        def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None) -> Any:
            return DeadlineStream(self._inner.connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout), local_address, socket_options))

        def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
            return DeadlineStream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout), socket_options))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return DeadlineBackend


def bound_client(client: Any) -> bool:
    """Put the deadline layer under every transport of ``client``; False when httpx's layout is not the known one
    (the caller then still checks the deadline between body chunks)."""
    backend_class = _stream_class()
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    done = False
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = backend_class(pool._network_backend)
            done = True
    return done
