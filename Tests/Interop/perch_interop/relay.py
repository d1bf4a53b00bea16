"""A plain TCP relay on a free loopback port in front of a broker: bytes pass
untouched both ways (TLS stays end to end between perchd and the broker, so
the certificate perchd checks is the broker's). A test uses it to

- switch perchd to another broker between two connection attempts
  (`target`, read at each accept): perchd's `uplink.url` stays the relay's;
- keep perchd away while a broker comes back (`close_listener()` /
  `open_listener()` on the same port): a closed listener refuses the TCP
  connection exactly as a broker that is down does, where an accepted
  connection dropped before CONNACK would read as a refusal of the CONNECT.

When the target cannot be reached the accepted connection is dropped at once,
so a test closes the listener before it takes the target away."""

from __future__ import annotations

import asyncio
import threading

from .ports import free_port


class TcpRelay:
    def __init__(self, target: tuple[str, int], host: str = "127.0.0.1"):
        self.host = host
        self.port = free_port()
        self.target = target
        self.connections = 0
        self.refused_by_target = 0
        self._changed = threading.Condition()
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()
        self._server: asyncio.AbstractServer | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-relay", daemon=True)
        self._thread.start()
        self.open_listener()

    def url(self, scheme: str = "mqtts") -> str:
        """perchd's `uplink.url` through the relay."""
        return f"{scheme}://{self.host}:{self.port}"

    def _call(self, coroutine, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=timeout)

    @property
    def listening(self) -> bool:
        return self._server is not None

    def open_listener(self) -> None:
        """Listens (again) on the relay's port."""
        async def listen() -> None:
            self._server = await asyncio.start_server(self._handle, self.host, self.port, reuse_address=True)
        assert self._server is None, "the relay is already listening"
        self._call(listen())

    def close_listener(self) -> None:
        """Stops accepting: new connections are refused (RST), as by a broker
        that is down. Connections already relayed go on."""
        async def close() -> None:
            server, self._server = self._server, None
            if server is not None:
                # close() stops listening at once. No wait_closed(): since
                # Python 3.12 it also waits for every relayed connection to end.
                server.close()
        self._call(close())

    def drop_connections(self) -> None:
        """Aborts every relayed connection (both sides)."""
        async def drop() -> None:
            for writer in list(self._writers):
                writer.transport.abort()
        self._call(drop())

    def wait_until(self, predicate, timeout: float, what: str) -> None:
        """Waits (bounded) until `predicate(self)` holds; fails naming `what`."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout=timeout):
                raise AssertionError(f"within {timeout}s: {what} (connections {self.connections})")

    def close(self) -> None:
        """Stops listening, drops every connection and ends the relay's thread."""
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
                self._server = None
            for writer in list(self._writers):
                writer.transport.abort()
            tasks = [task for task in self._tasks if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        try:
            self._call(shutdown())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        with self._changed:
            self.connections += 1
            self._changed.notify_all()
        self._writers.add(writer)
        upstream_writer = None
        try:
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
            except OSError:
                with self._changed:
                    self.refused_by_target += 1
                    self._changed.notify_all()
                return
            self._writers.add(upstream_writer)
            await asyncio.gather(_pump(reader, upstream_writer), _pump(upstream_reader, writer))
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass
        finally:
            for stream in (writer, upstream_writer):
                if stream is not None:
                    stream.transport.abort()
                    self._writers.discard(stream)
            if task is not None:
                self._tasks.discard(task)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One direction until EOF or an error, then the other side is aborted
    (a broker that goes away takes perchd's connection with it)."""
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()
