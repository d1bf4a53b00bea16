"""Datagrams perchd must not trust: from an address it cannot map to a client
(SPEC §3: DISCONNECT), malformed ones (dropped, counted in the status JSON's
`invalid`, never fatal), forwarder encapsulation (§5.5), and the status JSON's
`mqttsn` section (SPEC §7)."""

import pytest
from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.sensor import Sensor


@pytest.mark.parametrize("datagram", [
    pytest.param(lambda: packets.register("a/b", mid=1), id="REGISTER"),
    pytest.param(lambda: packets.publish(1, b"x", qos=1, mid=1), id="PUBLISH-qos1"),
    pytest.param(lambda: packets.subscribe(1, qos=0, topic_name="a/#"), id="SUBSCRIBE"),
])
def test_a_datagram_from_an_unknown_address_gets_disconnect(perchd, datagram):
    with Sensor(perchd.address, "stranger") as stranger:
        stranger.send(datagram())
        reply = stranger.expect(sn.DISCONNECT)
        assert reply.len == 2, f"a plain DISCONNECT has no duration: {stranger.received[-1].hex(' ')}"


MALFORMED = {
    "length-longer-than-datagram": bytes.fromhex("05 0c 00"),
    "trailing-bytes": bytes.fromhex("02 16 00"),
    "one-octet": bytes.fromhex("01"),
    "three-octet-length-truncated": bytes.fromhex("01 00"),
    "reserved-type-0x03": bytes.fromhex("02 03"),
    "publish-without-fields": bytes.fromhex("02 0c"),
    "connect-wrong-protocol-id": bytes.fromhex("08 04 04 02 00 1e 61 62"),
}


def test_malformed_datagrams_get_no_answer_and_are_counted(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("garbage")) as sensor:
        for name, datagram in MALFORMED.items():
            sensor.send(datagram)
            packet = sensor.receive_or_none(timeout=0.3)
            assert packet is None, f"{name} ({datagram.hex(' ')}) was answered: {sensor.received[-1].hex(' ')}"
        status = upstream.expect_status(
            perchd.status_topic, lambda doc: doc.get("mqttsn", {}).get("invalid", 0) >= len(MALFORMED))
        assert status["state"] == "online"
        # Never fatal: the same address still gets answers.
        sensor.send(packets.searchgw())
        sensor.expect(sn.GWINFO)
        assert sensor.connect() == sn.ACCEPTED


def test_status_json_counts_clients_and_sleepers(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("counted")) as awake, \
            Sensor(perchd.address, client_ids("sleeper")) as sleeper:
        assert awake.connect() == sn.ACCEPTED
        assert sleeper.connect() == sn.ACCEPTED
        sleeper.disconnect(duration=60)
        status = upstream.expect_status(
            perchd.status_topic,
            lambda doc: doc.get("mqttsn", {}).get("clients") == 2 and doc["mqttsn"].get("asleep") == 1)
        section = status["mqttsn"]
        assert section["rx"] >= 3 and section["tx"] >= 3, section
        assert set(section) >= {"clients", "asleep", "rx", "tx", "invalid"}


def test_forwarder_encapsulation_round_trip(perchd, upstream):
    # §5.5: the forwarder wraps each node's message with the node's id; the
    # gateway answers wrapped the same way, to the forwarder.
    node = b"\x00\x13\xa2\x00"
    with Sensor(perchd.address, "forwarder") as forwarder:
        forwarder.send(packets.encapsulated(node, packets.connect("behind-forwarder", duration=30)))
        reply = forwarder.expect(0xFE)
        assert reply[sn.MQTTSNEncaps].w_node_id == node
        inner = reply[sn.MQTTSNEncaps].payload
        assert inner.type == sn.CONNACK and inner[sn.MQTTSNConnack].return_code == sn.ACCEPTED
        forwarder.send(packets.encapsulated(node, packets.publish(packets.short_id("fw"), b"via", qos=0,
                                                                  tid_type=packets.SHORT)))
        upstream.expect(perchd.topic("fw"), b"via")
