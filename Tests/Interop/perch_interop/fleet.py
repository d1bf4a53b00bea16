"""MQTT-SN sensors under load, for the spool's tests.

Each sensor publishes QoS 1 messages one after the other on its own topic,
waits for the PUBACK of each before the next, and retransmits it (same MsgId,
DUP set) when none comes within a short timeout, as a real client does
(MQTT-SN v1.2 §6.13, T_retry). It rides out a gateway that restarts: a
DISCONNECT (the new process does not know its address, SPEC §3) or "rejected:
invalid topic ID" (a registration the new process lost) makes it connect and
register again, then resend. Every sensor records what it was told about each
message: accepted, rejected (with the return code), or nothing.

The payload is `{client id} {counter}` padded to a size, so what arrives
upstream says who sent it and in which order (`Arrivals`)."""

import threading
import time
from dataclasses import dataclass, field

from scapy.contrib import mqttsn as sn

from . import packets
from .sensor import Sensor
from .upstream import Received

CONGESTION = sn.REJ_CONJ  # "rejected: congestion", 0x01 (§5.3.10)


def payload(client_id: str, counter: int, size: int = 0) -> bytes:
    """The message body: who and which, padded with dots to `size` octets."""
    body = f"{client_id} {counter:06d} ".encode()
    return body + b"." * max(0, size - len(body))


def parse_payload(data: bytes) -> tuple[str, int] | None:
    """(client id, counter) of a `payload`, or None for anything else."""
    parts = data.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return parts[0].decode(errors="replace"), int(parts[1])


@dataclass
class Record:
    """What one sensor was told, message by message."""

    accepted: list[int] = field(default_factory=list)
    rejected: dict[int, int] = field(default_factory=dict)  # counter → return code
    unanswered: list[int] = field(default_factory=list)
    reconnects: int = 0
    finished: bool = False  # every message it was to send got an answer or it gave up as told
    failure: str | None = None  # an unexpected exception on its thread


class LoadSensor(threading.Thread):
    """One sensor on its own thread and socket. `count` messages (None: until
    `stop`); `max_attempts` sends of a message before it counts as unanswered
    (None: until the deadline); `give_up_after` answers other than "accepted"
    in a row end the run."""

    def __init__(self, fleet: "Fleet", gateway: tuple[str, int], client_id: str, topic: str,
                 count: int | None, payload_size: int, retry_timeout: float,
                 max_attempts: int | None, give_up_after: int | None, deadline: float):
        super().__init__(name=f"sensor-{client_id}", daemon=True)
        self.fleet = fleet
        self.sensor = Sensor(gateway, client_id, timeout=retry_timeout)
        self.client_id = client_id
        self.topic = topic
        self.count = count
        self.payload_size = payload_size
        self.retry_timeout = retry_timeout
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        self.deadline = deadline
        self.record = Record()
        self.topic_id = 0

    def _over(self) -> bool:
        return self.fleet.stopping.is_set() or time.monotonic() >= self.deadline

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # reported by Fleet.join, with the sensor's name
            self.record.failure = f"{type(error).__name__}: {error}"
        finally:
            self.sensor.close()
            self.fleet.changed()

    def _run(self) -> None:
        if not self._connect():
            return
        refusals = 0
        counter = 0
        while (self.count is None or counter < self.count) and not self._over():
            outcome = self._publish(counter)
            if outcome is None:
                if self._over():
                    return  # stopped while waiting: neither answered nor given up
                self.record.unanswered.append(counter)
            elif outcome == sn.ACCEPTED:
                self.record.accepted.append(counter)
                self.fleet.changed(accepted=1)
            else:
                self.record.rejected[counter] = outcome
            refusals = 0 if outcome == sn.ACCEPTED else refusals + 1
            counter += 1
            if self.give_up_after is not None and refusals >= self.give_up_after:
                break
        self.record.finished = not self._over() or (self.count is not None and counter >= self.count)

    def _connect(self) -> bool:
        """CONNECT (clean session off) and REGISTER, each retried on the timeout
        until answered; False when the run is over first."""
        while not self._over():
            self.sensor.send(packets.connect(self.client_id, duration=60, clean=False))
            packet = self._await(lambda p: p.type == sn.CONNACK)
            if packet is None or packet.type != sn.CONNACK or packet[sn.MQTTSNConnack].return_code != sn.ACCEPTED:
                continue
            while not self._over():
                mid = self.sensor.next_mid()
                self.sensor.send(packets.register(self.topic, mid))
                packet = self._await(lambda p: p.type == sn.REGACK and p[sn.MQTTSNRegack].mid == mid)
                if packet is None:
                    continue
                if packet.type == sn.DISCONNECT:
                    break  # the gateway restarted between CONNACK and REGISTER: connect again
                regack = packet[sn.MQTTSNRegack]
                if regack.return_code == sn.ACCEPTED:
                    self.topic_id = regack.tid
                    return True
        return False

    def _await(self, wanted) -> object | None:
        """The first datagram within one retry timeout for which `wanted`
        holds, or None; a DISCONNECT is always returned, since it ends what
        the sensor was waiting for. Others (stale acks of earlier sends) are passed over."""
        deadline = time.monotonic() + self.retry_timeout
        while (remaining := deadline - time.monotonic()) > 0:
            packet = self.sensor.receive_or_none(timeout=remaining)
            if packet is None:
                return None
            if packet.type == sn.DISCONNECT or wanted(packet):
                return packet
        return None

    def _publish(self, counter: int) -> int | None:
        """One message until answered: the PUBACK's return code, or None."""
        data = payload(self.client_id, counter, self.payload_size)
        mid = self.sensor.next_mid()
        attempts = 0
        while not self._over():
            if self.max_attempts is not None and attempts >= self.max_attempts:
                return None
            self.sensor.send(packets.publish(self.topic_id, data, qos=1, mid=mid, dup=attempts > 0))
            attempts += 1
            packet = self._await(lambda p: p.type == sn.PUBACK and p[sn.MQTTSNPuback].mid == mid)
            if packet is None:
                continue
            if packet.type == sn.DISCONNECT:
                self._reconnect()
                continue
            code = packet[sn.MQTTSNPuback].return_code
            if code == sn.REJ_TID:
                self._reconnect()  # a restarted gateway lost the registration: register again
                continue
            return code
        return None

    def _reconnect(self) -> None:
        self.record.reconnects += 1
        self._connect()


class Fleet:
    """Sensors publishing at once (see the module note); started with
    `start()`, ended by their counts, `stop()`, or the deadline."""

    def __init__(self, gateway: tuple[str, int], client_ids: list[str], count: int | None,
                 topic_stem: str = "spool", payload_size: int = 0, retry_timeout: float = 0.5,
                 max_attempts: int | None = None, give_up_after: int | None = None,
                 deadline_s: float = 45.0):
        self.stopping = threading.Event()
        self._changed = threading.Condition()
        self._accepted = 0
        deadline = time.monotonic() + deadline_s
        self.sensors = [
            LoadSensor(self, gateway, client_id, f"{topic_stem}/{client_id}", count, payload_size,
                       retry_timeout, max_attempts, give_up_after, deadline)
            for client_id in client_ids
        ]

    def arrivals(self, mountpoint: str) -> "Arrivals":
        """An empty tally of this fleet's messages as they appear upstream under `mountpoint`."""
        return Arrivals({mountpoint + sensor.topic: sensor.client_id for sensor in self.sensors})

    def start(self) -> "Fleet":
        """Starts every sensor's thread."""
        for sensor in self.sensors:
            sensor.start()
        return self

    def changed(self, accepted: int = 0) -> None:
        """Called by the sensors: a message was accepted, or one finished."""
        with self._changed:
            self._accepted += accepted
            self._changed.notify_all()

    @property
    def accepted_count(self) -> int:
        """PUBACKs with "accepted" so far, over all sensors."""
        with self._changed:
            return self._accepted

    def wait_for_accepted(self, number: int, timeout: float, stall: float = 10.0) -> None:
        """Waits (bounded) until at least `number` messages were accepted in all;
        fails sooner when none is accepted for `stall` seconds."""
        start = time.monotonic()
        deadline = start + timeout
        with self._changed:
            progress, progress_at = self._accepted, start
            while self._accepted < number:
                now = time.monotonic()
                if self._accepted > progress:
                    progress, progress_at = self._accepted, now
                assert now < deadline, \
                    f"only {self._accepted} of {number} messages acknowledged within {timeout}s: {self.summary()}"
                assert now - progress_at < stall, \
                    f"no acknowledgement for {stall}s, at {self._accepted} of {number}: {self.summary()}"
                assert any(sensor.is_alive() for sensor in self.sensors), \
                    f"every sensor stopped at {self._accepted} of {number} acknowledged: {self.summary()}"
                self._changed.wait(min(deadline - now, 0.5))

    def join(self, timeout: float) -> bool:
        """Waits (bounded) for every sensor to end; whether all did. A sensor's
        unexpected exception fails the test here."""
        deadline = time.monotonic() + timeout
        for sensor in self.sensors:
            sensor.join(max(0.0, deadline - time.monotonic()))
        for sensor in self.sensors:
            assert sensor.record.failure is None, f"{sensor.client_id}: {sensor.record.failure}"
        return not any(sensor.is_alive() for sensor in self.sensors)

    def stop(self, timeout: float = 10.0) -> None:
        """Ends every sensor's run (a message waiting for its answer stays unanswered) and joins them."""
        self.stopping.set()
        assert self.join(timeout), "a sensor did not stop"

    def records(self) -> dict[str, Record]:
        """Client id → what it was told."""
        return {sensor.client_id: sensor.record for sensor in self.sensors}

    def accepted(self) -> dict[str, list[int]]:
        """Client id → counters acknowledged with "accepted", in order."""
        return {sensor.client_id: list(sensor.record.accepted) for sensor in self.sensors}

    def summary(self) -> str:
        """One line per sensor, for failure messages."""
        return "; ".join(
            f"{sensor.client_id}: {len(sensor.record.accepted)} accepted, {len(sensor.record.rejected)} rejected, "
            f"{len(sensor.record.unanswered)} unanswered, {sensor.record.reconnects} reconnects"
            for sensor in self.sensors)


class Arrivals:
    """What reached the broker from a fleet: per client, the counters in the
    order they arrived, and the first arrival of each (duplicates are allowed,
    SPEC §5: at least once). `topics`: upstream topic → client id."""

    def __init__(self, topics: dict[str, str]):
        self.topics = topics
        self.order: dict[str, list[int]] = {client: [] for client in topics.values()}
        self.first: dict[str, list[int]] = {client: [] for client in topics.values()}
        self._seen: dict[str, set[int]] = {client: set() for client in topics.values()}
        self.duplicates = 0
        self.foreign = 0  # on a fleet topic, but not a fleet payload or not its sender's

    def take(self, message: Received) -> None:
        """Counts one upstream message (anything not on a fleet topic is ignored)."""
        owner = self.topics.get(message.topic)
        if owner is None:
            return
        parsed = parse_payload(message.payload)
        if parsed is None or parsed[0] != owner:
            self.foreign += 1
            return
        counter = parsed[1]
        self.order[owner].append(counter)
        if counter in self._seen[owner]:
            self.duplicates += 1
        else:
            self._seen[owner].add(counter)
            self.first[owner].append(counter)

    def has(self, client: str, counter: int) -> bool:
        """Whether that message arrived (at least once)."""
        return counter in self._seen[client]

    def missing(self, expected: dict[str, list[int]]) -> dict[str, list[int]]:
        """Client → the expected counters that have not arrived (clients with none left out)."""
        gaps = {client: [c for c in counters if c not in self._seen[client]] for client, counters in expected.items()}
        return {client: counters for client, counters in gaps.items() if counters}

    def out_of_order(self) -> dict[str, list[int]]:
        """Client → its first arrivals, for every client whose first arrivals are not in increasing order."""
        return {client: firsts for client, firsts in self.first.items()
                if any(later <= earlier for earlier, later in zip(firsts, firsts[1:]))}

    def total(self) -> int:
        """Distinct messages arrived."""
        return sum(len(seen) for seen in self._seen.values())
