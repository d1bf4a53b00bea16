"""What the broker-limit tests (issue 19, SPEC §5 and §7) share: a sensor
that publishes a numbered series and checks each answer, the status
document's `uplink` and `spool` sections, what Mosquitto logged about the
connections it dropped, and the `perchd spool dead-letters` command."""

import re

from scapy.contrib import mqttsn as sn

from .perchd import Perchd
from .sensor import Sensor
from .upstream import Received, Upstream

# The strings `uplink.degraded` may hold (issue 19).
DEGRADED = {"will_retain", "will_qos", "status_retain", "status_qos", "message_retain", "message_qos"}

# Mosquitto 2.0.11's log line for a client it dropped for a packet over
# `max_packet_size` (measured; README.md, "Brokers with limits").
OVERSIZE_DROP = "disconnected due to oversize packet"

# What perchd's log and `uplink.last_error` must name when a v5 CONNECT is
# not understood (issue 19, "Protocol mismatch named").
PROTOCOL_HINT = 'uplink.protocol: "3.1.1"'
# The same in a log line, where the logger writes the error as a quoted
# metadata value and escapes its quotes (`error="…uplink.protocol: \\"3.1.1\\""`).
PROTOCOL_HINT_LOG = r'uplink\.protocol: \\?"3\.1\.1\\?"'


def protocol_extra(protocol: str, **uplink) -> dict:
    """The `uplink` section for `protocol` ("3.1.1" or "5"), plus other uplink keys."""
    return {"uplink": {"protocol": protocol, **uplink}}


def status(watcher: Upstream, perchd: Perchd, where, timeout: float = 10.0) -> dict:
    """The next status document of `perchd` for which `where(document)` holds."""
    return watcher.expect_status(perchd.status_topic, where, timeout=timeout)


def connected_status(watcher: Upstream, perchd: Perchd, timeout: float = 10.0) -> dict:
    """The next status document that says the uplink is connected."""
    return status(watcher, perchd, lambda doc: doc.get("uplink", {}).get("connected") is True, timeout)


def degraded(document: dict) -> list:
    """`uplink.degraded` of a status document; fails when the key is absent
    (SPEC §7: every document carries every key)."""
    uplink = document.get("uplink", {})
    assert "degraded" in uplink, f"no uplink.degraded in the status: {document}"
    value = uplink["degraded"]
    assert isinstance(value, list) and set(value) <= DEGRADED, f"uplink.degraded is {value!r}"
    return value


def dead_lettered(document: dict) -> int:
    """`spool.dead_lettered` of a status document; fails when absent."""
    spool = document.get("spool", {})
    assert "dead_lettered" in spool, f"no spool.dead_lettered in the status: {document}"
    return spool["dead_lettered"]


def assert_link_stable(perchd: Perchd) -> None:
    """The uplink came up once and was never lost (no flapping)."""
    assert perchd.log is not None
    lines = perchd.log.lines
    lost = [line for line in lines if "uplink connection lost" in line]
    assert not lost, f"the uplink was lost: {lost[:3]}"
    connected = [line for line in lines if "uplink connected" in line]
    assert len(connected) == 1, f"the uplink connected {len(connected)} times: {connected[:5]}"


def oversize_drops(broker) -> int:
    """How many connections the broker dropped for an oversize packet, in all its runs."""
    return broker.log_text().count(OVERSIZE_DROP)


class SeriesSensor(Sensor):
    """A connected sensor with registered topics that publishes and checks each answer."""

    def __init__(self, perchd: Perchd, client_id: str, timeout: float = 5.0):
        super().__init__(perchd.address, client_id, timeout=timeout)
        self.perchd = perchd
        self.topic_ids: dict[str, int] = {}
        assert self.connect() == sn.ACCEPTED, f"{client_id}: CONNECT refused"

    def tid(self, topic: str) -> int:
        if topic not in self.topic_ids:
            self.topic_ids[topic] = self.register(topic)
        return self.topic_ids[topic]

    def publish_accepted(self, topic: str, data: bytes, qos: int = 1, retain: bool = False) -> None:
        """PUBLISH, which must be accepted (PUBACK 0x00 at QoS 1; the QoS 2 flow at QoS 2)."""
        answer = self.publish(self.tid(topic), data, qos=qos, retain=retain)
        if qos == 1:
            assert answer.return_code == sn.ACCEPTED, \
                f"{self.client_id}: PUBACK return code {answer.return_code:#04x} for {topic} ({len(data)} bytes)"

    def publish_refused(self, topic: str, data: bytes) -> int:
        """PUBLISH at QoS 1 that must be refused; its PUBACK return code."""
        answer = self.publish(self.tid(topic), data, qos=1)
        assert answer.return_code != sn.ACCEPTED, \
            f"{self.client_id}: {len(data)} bytes on {topic} were acknowledged (PUBACK 0x00)"
        return answer.return_code

    def series(self, topic: str, count: int, stem: str = "n", qos: int = 1) -> list[bytes]:
        """`count` accepted messages `{stem} 0` … on `topic`; their payloads."""
        payloads = [f"{stem} {n}".encode() for n in range(count)]
        for data in payloads:
            self.publish_accepted(topic, data, qos=qos)
        return payloads


def expect_in_order(watcher: Upstream, topic: str, payloads: list[bytes], timeout: float = 20.0) -> list[Received]:
    """Waits (bounded) until every payload has arrived on `topic`; the first
    arrivals must be in the order sent (duplicates allowed). Returns the
    first arrival of each."""
    wanted = set(payloads)
    first: dict[bytes, Received] = {}
    order: list[bytes] = []

    def take(message: Received) -> None:
        if message.topic == topic and message.payload in wanted and message.payload not in first:
            first[message.payload] = message
            order.append(message.payload)

    for message in watcher.seen:
        take(message)
    watcher.gather(take, lambda: len(first) == len(wanted), timeout=timeout,
                   describe=lambda: f"on {topic}: {len(first)} of {len(wanted)} arrived; missing "
                                    f"{[p for p in payloads if p not in first][:5]}")
    assert order == [p for p in payloads if p in first], f"out of order on {topic}: {order}"
    return [first[p] for p in payloads]


def arrived(watcher: Upstream, topic: str, payload: bytes, timeout: float = 10.0) -> Received:
    """The message on `topic` with `payload`: already passed over (in `seen`,
    as a wait for other messages moves them there) or the next one to come."""
    for message in watcher.seen:
        if message.topic == topic and message.payload == payload:
            return message
    return watcher.expect(topic, payload, timeout=timeout)


def dead_letter_lines(perchd: Perchd, topic: str) -> list[str]:
    """`perchd spool dead-letters` (which must succeed): the lines naming `topic`."""
    run = perchd.command("spool", "dead-letters")
    assert run.returncode == 0, f"perchd spool dead-letters exited {run.returncode}:\n{run.stdout}"
    return [line for line in run.stdout.splitlines() if topic in line]


def wait_for_log(perchd: Perchd, *fragments: str, timeout: float = 20.0, start: int = 0,
                 ignore_case: bool = False) -> str:
    """The first log line (from `start`) containing every fragment."""
    assert perchd.log is not None
    flags = "(?i)" if ignore_case else ""
    pattern = flags + "".join(f"(?=.*{re.escape(fragment)})" for fragment in fragments)
    return perchd.log.wait_for(pattern, timeout=timeout, start=start)

