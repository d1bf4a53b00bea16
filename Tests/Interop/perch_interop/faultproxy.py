"""A broker that misbehaves on purpose: a TLS endpoint with the test
certificates, in front of a real Mosquitto, that perchd's `uplink.url` names.

It reads MQTT (3.1.1 §2 / 5.0 §2 framing) from perchd and, per connection,
by the mode set when perchd connects:

- `forward`: passes every packet on to Mosquitto and back;
- `silent`: reads the CONNECT and never answers (a broker that accepts TCP
  and TLS and then hangs);
- `answer`: reads the CONNECT, writes the bytes of `answer` (a CONNACK
  refusal, say) and closes: a broker that refuses the protocol;
- `cut`: forwards until perchd has sent `cut_after` PUBLISH packets, sends
  Mosquitto only the first half of the next one, and drops both connections:
  a connection lost in the middle of a PUBLISH. Each cut spends one of
  `cuts_left`; with none left the mode is `forward` again.

The counters say what happened, so a test can assert the fault was injected."""

from __future__ import annotations

import asyncio
import ssl
import threading

from .broker import Certificates, Mosquitto
from .ports import free_port

PUBLISH, PUBACK = 3, 4


async def _read_packet(reader: asyncio.StreamReader) -> bytes:
    """One whole MQTT packet: fixed header, Remaining Length (§2.2.3), body."""
    first = await reader.readexactly(1)
    length, multiplier, header = 0, 1, bytearray(first)
    for _ in range(4):
        byte = (await reader.readexactly(1))[0]
        header.append(byte)
        length += (byte & 0x7F) * multiplier
        multiplier *= 128
        if byte < 0x80:
            break
    return bytes(header) + await reader.readexactly(length)


class FaultProxy:
    def __init__(self, broker: Mosquitto, certificates: Certificates):
        self.broker = broker
        self.host = "127.0.0.1"
        self.port = free_port()
        self.mode = "forward"
        self.cut_after = 20
        self.cuts_left = 0
        self.answer = b""
        # Counters, read by the test (ints: assignment is atomic under the GIL).
        self.connections = 0
        self.connects_seen = 0
        self.silenced = 0
        self.answered = 0
        self.cuts = 0
        self.publishes_forwarded = 0
        # Payloads of the PUBLISHes the broker answered PUBACK.
        self.broker_acknowledged: set[bytes] = set()
        self._server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._server_context.load_cert_chain(str(certificates.cert_file), str(certificates.key_file))
        self._client_context = ssl.create_default_context(cafile=str(broker.certificates.ca_file))
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._tasks: set[asyncio.Task] = set()
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise AssertionError("the fault proxy did not start listening within 10 s")

    def _count(self, name: str) -> None:
        with self._changed:
            setattr(self, name, getattr(self, name) + 1)
            self._changed.notify_all()

    def wait_until(self, predicate, timeout: float, what: str) -> None:
        """Waits (bounded) until `predicate(self)` holds; fails naming `what`."""
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self), timeout=timeout):
                raise AssertionError(f"within {timeout}s: {what} (connections {self.connections}, "
                                     f"CONNECTs {self.connects_seen}, silenced {self.silenced}, cuts {self.cuts})")

    @property
    def url(self) -> str:
        return f"mqtts://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def serve() -> None:
            self._server = await asyncio.start_server(self._handle, self.host, self.port, ssl=self._server_context)
            self._ready.set()

        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    def close(self) -> None:
        async def shutdown() -> None:
            self._server.close()
            tasks = [task for task in self._tasks if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._count("connections")
        mode = self.mode
        upstream_writer = None
        try:
            connect = await _read_packet(reader)
            self._count("connects_seen")
            if mode == "silent":
                self._count("silenced")
                # Hold the connection open and say nothing until perchd gives up.
                while await reader.read(4096):
                    pass
                return
            if mode == "answer":
                writer.write(self.answer)
                await writer.drain()
                self._count("answered")
                # A close (TLS close_notify, FIN) rather than the abort below,
                # so the answer is read before the end of the connection.
                writer.close()
                await asyncio.wait_for(writer.wait_closed(), timeout=5)
                return
            upstream_reader, upstream_writer = await asyncio.open_connection(
                self.broker.host, self.broker.port, ssl=self._client_context, server_hostname="localhost")
            upstream_writer.write(connect)
            in_flight: dict[int, bytes] = {}
            back = asyncio.ensure_future(self._back(upstream_reader, writer, in_flight))
            try:
                await self._forward(reader, upstream_writer, in_flight, cut=(mode == "cut" and self.cuts_left > 0))
            finally:
                back.cancel()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, asyncio.CancelledError, OSError):
            pass
        finally:
            for stream in (writer, upstream_writer):
                if stream is not None:
                    stream.transport.abort()
            if task is not None:
                self._tasks.discard(task)

    async def _forward(self, reader, upstream_writer, in_flight: dict[int, bytes], cut: bool) -> None:
        sent = 0
        while True:
            packet = await _read_packet(reader)
            if packet[0] >> 4 == PUBLISH:
                packet_id, payload = _publish_id_and_payload(packet)
                if packet_id is not None:
                    in_flight[packet_id] = payload
                if cut and sent >= self.cut_after:
                    upstream_writer.write(packet[: len(packet) // 2])
                    await upstream_writer.drain()
                    self.cuts_left -= 1
                    self._count("cuts")
                    if self.cuts_left <= 0:
                        self.mode = "forward"
                    return
                sent += 1
                self.publishes_forwarded += 1
            upstream_writer.write(packet)
            await upstream_writer.drain()

    async def _back(self, reader, writer, in_flight: dict[int, bytes]) -> None:
        """Broker → perchd, packet by packet: each PUBACK's payload is recorded
        in `broker_acknowledged` (what the broker took responsibility for)."""
        try:
            while True:
                packet = await _read_packet(reader)
                if packet[0] >> 4 == PUBACK:
                    _, body = _split_header(packet)
                    payload = in_flight.pop(int.from_bytes(body[:2], "big"), None)
                    if payload is not None:
                        self.broker_acknowledged.add(payload)
                writer.write(packet)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            writer.transport.abort()


def _split_header(packet: bytes) -> tuple[int, bytes]:
    index = 1
    while packet[index] & 0x80:
        index += 1
    return packet[0], packet[index + 1:]


def _publish_id_and_payload(packet: bytes) -> tuple[int | None, bytes]:
    """A PUBLISH's packet id (None at QoS 0) and payload, MQTT 5.0 §3.3.2
    (perchd speaks 5 to the broker in these tests: properties follow the id)."""
    first, body = _split_header(packet)
    topic_length = int.from_bytes(body[:2], "big")
    index = 2 + topic_length
    packet_id = None
    if (first >> 1) & 0x03:
        packet_id = int.from_bytes(body[index:index + 2], "big")
        index += 2
    length, multiplier = 0, 1
    while True:  # the property length, a Variable Byte Integer (§1.5.5)
        byte = body[index]
        index += 1
        length += (byte & 0x7F) * multiplier
        multiplier *= 128
        if byte < 0x80:
            break
    return packet_id, body[index + length:]
