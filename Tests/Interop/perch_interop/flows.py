"""Waits that span the sensor and the broker."""

import time

from scapy.contrib import mqttsn as sn

from . import packets
from .sensor import Sensor
from .upstream import Upstream


def await_downlink(sensor: Sensor, upstream: Upstream, upstream_topic: str, timeout: float = 10.0) -> int:
    """Returns once messages published upstream on `upstream_topic` reach `sensor`.

    Perch answers SUBSCRIBE at once, before the broker has granted its own
    upstream subscription (Docs/mqtt-sn.md, "SUBACK at once"), so a message
    published the moment the SUBACK arrives may precede the subscription at the
    broker. Probes (QoS 0, payload `probe N`) are published until one arrives;
    the gateway's REGISTERs for the probe topic are accepted on the way. Once
    one probe arrives every later one will, so this drains up to the last one
    sent and leaves nothing in flight. Returns the number of probes sent."""
    deadline = time.monotonic() + timeout
    sent = 0
    arrived = False
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"{sensor.client_id}: no probe on {upstream_topic} arrived within {timeout}s"
        if not arrived:
            sent += 1
            upstream.publish(upstream_topic, f"probe {sent}".encode(), qos=0)
        packet = sensor.receive_or_none(timeout=min(0.25, remaining))
        if packet is None:
            continue
        if packet.type == sn.REGISTER:
            register = packet[sn.MQTTSNRegister]
            sensor.send(packets.regack(register.tid, register.mid))
            continue
        assert packet.type == sn.PUBLISH, \
            f"{sensor.client_id}: expected a probe, got {packets.type_name(packet.type)}: {sensor.received[-1].hex(' ')}"
        publish = packet[sn.MQTTSNPublish]
        assert publish.data.startswith(b"probe "), f"{sensor.client_id}: expected a probe, got {publish.data!r}"
        arrived = True
        if publish.data == f"probe {sent}".encode():
            return sent
