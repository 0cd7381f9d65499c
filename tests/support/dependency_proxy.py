"""A TCP port in front of a real dependency (Postgres, Redis, Cerbos) that a test takes down, stalls and brings back.

`down()` refuses new connections and drops the open ones (a crashed or restarting server); `stall()` keeps the
connections open but passes nothing either way (a server that hangs: calls end in their deadline); `up()`
serves again on the same port. The target is `host:port` or a Unix socket path.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

_POLL = 0.05
_FIXED_PORTS = (20000, 32000)


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    except (OSError, ValueError):
        return 32768, 60999
    return int(low), int(high)


class DependencyProxy:
    def __init__(self, target: tuple[str, int] | str) -> None:
        self.target = target
        self.port = 0
        self._state = "up"
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._closed = False
        self._listen_on_a_fixed_port()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @classmethod
    def to_address(cls, address: str) -> DependencyProxy:
        """In front of `host:port` (e.g. `CERBOS_GRPC_ADDR`)."""
        host, _, port = address.rpartition(":")
        return cls((host, int(port)))

    @classmethod
    def to_redis(cls, url: str) -> DependencyProxy:
        parsed = urlsplit(url)
        return cls(parsed.path) if parsed.scheme == "unix" else cls((parsed.hostname or "", parsed.port or 6379))

    @classmethod
    def to_postgres(cls, url: str) -> DependencyProxy:
        parsed = make_url(url)
        host = str(parsed.query.get("host") or parsed.host or "")
        port = int(str(parsed.query.get("port") or parsed.port or 5432))
        return cls(f"{host}/.s.PGSQL.{port}" if host.startswith("/") else (host, port))

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def postgres_url(self, url: str, **query: str) -> str:
        """`url` (same role and database) through this proxy, over TCP."""
        parsed = make_url(url)
        kept = {k: v for k, v in parsed.query.items() if k not in ("host", "port")}
        return parsed.set(host="127.0.0.1", port=self.port, query={**kept, **query}).render_as_string(
            hide_password=False
        )

    def up(self) -> None:
        with self._lock:
            self._state = "up"
            if self._listener is None:
                self._listen()

    def down(self) -> None:
        with self._lock:
            self._state = "down"
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            self._drop_connections()

    def stall(self) -> None:
        with self._lock:
            self._state = "stalled"

    def drop_connections(self) -> None:
        """Cuts every open connection and keeps listening (a dependency restarted between two requests)."""
        with self._lock:
            self._drop_connections()

    def close(self) -> None:
        self._closed = True
        self.down()
        self._thread.join(2)

    def _listen_on_a_fixed_port(self) -> None:
        """A port below the ephemeral range: while the proxy is down, no outgoing connection can take it."""
        low, high = _ephemeral_range()
        candidates = [port for port in range(_FIXED_PORTS[0], _FIXED_PORTS[1]) if not low <= port <= high]
        for port in random.sample(candidates, 50):
            self.port = port
            try:
                self._listen()
            except OSError:
                continue
            return
        raise OSError("no free port for the dependency proxy")

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(_POLL)
        self.port = listener.getsockname()[1]
        self._listener = listener

    def _drop_connections(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._connections.clear()

    def _accept_loop(self) -> None:
        while not self._closed:
            listener = self._listener
            if listener is None:
                time.sleep(_POLL)
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            self._serve(client)

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = self._connect()
        except OSError:
            client.close()
            return
        with self._lock:
            if self._state == "down":
                client.close()
                upstream.close()
                return
            self._connections.update((client, upstream))
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _connect(self) -> socket.socket:
        if isinstance(self.target, str):
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            upstream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        upstream.connect(self.target)
        return upstream

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        source.settimeout(_POLL)
        while True:
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            while self._state == "stalled":  # hold what arrived until the dependency "answers" again
                time.sleep(_POLL)
            try:
                sink.sendall(data)
            except OSError:
                break
        for conn in (source, sink):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
