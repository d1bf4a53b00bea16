"""What the cloud sees: a paho-mqtt client on the broker over TLS, with every
message it receives in a queue and bounded waits for the ones a test expects."""

import itertools
import json
import queue
import ssl
import threading
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from .broker import Mosquitto

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Received:
    """One message as the upstream subscriber got it."""

    topic: str
    payload: bytes
    qos: int
    retain: bool
    # MQTT 5.0 §3.3.2.3.9 Content Type, when the publisher gave one.
    content_type: str | None = None
    # time.monotonic() when paho handed it over, for tests that measure
    # intervals (a pulse's length, a debounce window) on arrival.
    arrived: float = field(default_factory=time.monotonic, compare=False)


class Upstream:
    """An MQTT 5 client of the broker (TLS, verified against the test CA).

    `durable` keeps its session at the broker (Clean Start 0 and a Session
    Expiry Interval, MQTT 5.0 §3.1.2.4, §3.1.2.11.2) and reconnects quickly
    on its own: with a persistent broker, what is published while the broker
    restarts, or before this client is back, waits in its session and is
    delivered when it reconnects (test_spool_harness.py shows it).

    `protocol="3.1.1"` for a broker that speaks only MQTT 3.1.1 (amqtt):
    subscriptions then have no options, so the RETAIN flag seen is the
    broker's. `resubscribe` makes it subscribe again to every filter after a
    reconnection that found no session (a broker that keeps nothing across a
    restart); `wait_for_resubscription` waits for those SUBACKs."""

    def __init__(self, broker: Mosquitto, timeout: float = 10.0, durable: bool = False,
                 client_id: str | None = None, protocol: str = "5", resubscribe: bool = False):
        self.messages: "queue.Queue[Received]" = queue.Queue()
        self.seen: list[Received] = []
        self._acks: "queue.Queue[int]" = queue.Queue()
        self._connected = threading.Event()
        self._timeout = timeout
        self.client_id = client_id or f"interop-upstream-{next(_numbers)}"
        assert protocol in ("5", "3.1.1"), protocol
        self.protocol = protocol
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id,
                                  protocol=mqtt.MQTTv5 if protocol == "5" else mqtt.MQTTv311)
        if getattr(broker, "tls", True):
            self.client.tls_set(ca_certs=str(broker.certificates.ca_file), cert_reqs=ssl.CERT_REQUIRED)
        # Filters subscribed so far, and per connection number the SUBACKs of
        # its resubscription still awaited (under `_connection_changed`).
        self._filters: list[tuple[str, int]] = []
        self._resubscribe = resubscribe
        self._resubscribing: dict[int, set[int]] = {}
        self.client.on_message = lambda client, userdata, message: self.messages.put(
            Received(message.topic, bytes(message.payload), message.qos, bool(message.retain),
                     getattr(message.properties, "ContentType", None)))
        self.client.on_subscribe = self._on_subscribe
        # Session Present of every CONNACK so far (MQTT 5.0 §3.2.2.1.1), under `_connection_changed`.
        self.sessions_present: list[bool] = []
        # The CONNACK properties of every connection (MQTT 5 only; None at 3.1.1).
        self.connack_properties: list[Properties | None] = []
        self._connection_changed = threading.Condition()
        self.client.on_connect = self._on_connect
        if durable:
            properties = Properties(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = 600
            # paho reconnects by itself (loop_start); the default first delay is 1 s.
            self.client.reconnect_delay_set(min_delay=0.1, max_delay=0.5)
            self.client.connect(broker.host, broker.port, keepalive=30, clean_start=False,
                                properties=properties)
        else:
            if resubscribe:
                self.client.reconnect_delay_set(min_delay=0.1, max_delay=0.5)
            self.client.connect(broker.host, broker.port, keepalive=30)
        self.client.loop_start()
        if not self._connected.wait(timeout):
            self.close()
            raise AssertionError(f"paho could not connect to the broker within {timeout}s")

    def _on_connect(self, client, userdata, flags, reason, properties) -> None:
        with self._connection_changed:
            self.sessions_present.append(bool(flags.session_present))
            self.connack_properties.append(properties if self.protocol == "5" else None)
            number = len(self.sessions_present)
            if self._resubscribe and number > 1 and not flags.session_present:
                # On paho's network thread: the SUBACKs are awaited elsewhere.
                pending = self._resubscribing.setdefault(number, set())
                for topic_filter, qos in self._filters:
                    result, mid = self._subscribe(topic_filter, qos)
                    if result == mqtt.MQTT_ERR_SUCCESS:
                        pending.add(mid)
            self._connection_changed.notify_all()
        self._connected.set()

    def _on_subscribe(self, client, userdata, mid, reasons, properties) -> None:
        with self._connection_changed:
            for pending in self._resubscribing.values():
                pending.discard(mid)
            self._connection_changed.notify_all()
        self._acks.put(mid)

    def _subscribe(self, topic_filter: str, qos: int) -> tuple[int, int]:
        # "Retain as published" exists only in MQTT 5 (§3.8.3.1); paho takes
        # a plain QoS for 3.1.1.
        if self.protocol == "5":
            return self.client.subscribe(topic_filter, options=SubscribeOptions(qos=qos, retainAsPublished=True))
        return self.client.subscribe(topic_filter, qos=qos)

    def wait_for_resubscription(self, number: int, timeout: float = 15.0) -> None:
        """Waits (bounded) for the `number`th connection and, when it found no
        session, for the SUBACK of every filter subscribed again on it."""
        self.wait_for_connection(number, timeout)
        deadline = time.monotonic() + timeout
        with self._connection_changed:
            while self._resubscribing.get(number):
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no SUBACK for the resubscriptions of connection {number} within {timeout}s"
                self._connection_changed.wait(remaining)

    @property
    def connections(self) -> int:
        """How many CONNACKs this client has had (1 + its reconnections)."""
        with self._connection_changed:
            return len(self.sessions_present)

    def wait_for_connection(self, number: int, timeout: float = 15.0) -> bool:
        """Waits (bounded) for the `number`th CONNACK (1 is the first); its Session Present."""
        deadline = time.monotonic() + timeout
        with self._connection_changed:
            while len(self.sessions_present) < number:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"paho did not reconnect to the broker within {timeout}s"
                self._connection_changed.wait(remaining)
            return self.sessions_present[number - 1]

    def subscribe(self, topic_filter: str, qos: int = 2) -> None:
        """Subscribes and waits (bounded) for the broker's SUBACK.

        With "retain as published" (MQTT 5.0 §3.8.3.1), so that the RETAIN flag
        a test sees is the one perchd sent, not the broker's live-delivery 0."""
        with self._connection_changed:
            self._filters.append((topic_filter, qos))
        result, mid = self._subscribe(topic_filter, qos)
        assert result == mqtt.MQTT_ERR_SUCCESS, f"subscribe {topic_filter}: {mqtt.error_string(result)}"
        deadline = time.monotonic() + self._timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no SUBACK for {topic_filter} within {self._timeout}s"
            if self._acks.get(timeout=remaining) == mid:
                return

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False,
                content_type: str | None = None) -> None:
        """Publishes and waits (bounded) until the broker has it (PUBACK/PUBCOMP for QoS 1/2);
        `content_type` goes as MQTT 5's Content Type (§3.3.2.3.9)."""
        properties = None
        if content_type is not None:
            properties = Properties(PacketTypes.PUBLISH)
            properties.ContentType = content_type
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        info.wait_for_publish(timeout=self._timeout)
        assert info.is_published(), f"the broker did not take {topic} within {self._timeout}s"

    def expect(self, topic: str, payload: bytes | None = None, timeout: float = 10.0,
               where=lambda message: True) -> Received:
        """The next message on `topic` (with `payload`, when given, and for which
        `where` holds), waiting at most `timeout` seconds. Messages passed over
        are kept in `seen`, for the failure message."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise AssertionError(
                    f"no message on {topic!r}" + (f" with payload {payload!r}" if payload is not None else "")
                    + f" within {timeout}s; seen: {self.seen[-20:]}") from None
            self.seen.append(message)
            if message.topic == topic and (payload is None or message.payload == payload) and where(message):
                return message

    def gather(self, take, done, timeout: float, describe) -> None:
        """Hands every arriving message to `take` (and keeps it in `seen`) until
        `done()` holds, waiting at most `timeout` seconds; fails with
        `describe()` when time runs out. For tests that count many messages."""
        deadline = time.monotonic() + timeout
        while not done():
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise AssertionError(f"within {timeout}s: {describe()}") from None
            self.seen.append(message)
            take(message)

    def expect_none(self, topic: str, within: float) -> None:
        """Fails when a message on `topic` arrives within `within` seconds.

        Only for things that must not happen; the window is the bound of the wait."""
        deadline = time.monotonic() + within
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                return
            self.seen.append(message)
            assert message.topic != topic, f"unexpected message on {topic}: {message}"

    def expect_status(self, status_topic: str, where, timeout: float = 10.0) -> dict:
        """The next status JSON on `status_topic` for which `where(document)` holds."""
        found: list[dict] = []

        def matches(message: Received) -> bool:
            try:
                document = json.loads(message.payload)
            except ValueError:
                return False
            if where(document):
                found.append(document)
                return True
            return False

        self.expect(status_topic, timeout=timeout, where=matches)
        return found[0]

    def close(self) -> None:
        """Disconnects and stops paho's network thread."""
        self.client.disconnect()
        self.client.loop_stop()
