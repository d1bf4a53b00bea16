"""Sensor → broker: REGISTER and PUBLISH at every QoS (§6.5, §6.6), QoS -1
(§6.8), predefined ids and short topic names (§6.7)."""

import pytest
from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.perchd import PREDEFINED_TOPICS
from perch_interop.sensor import Sensor


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_register_then_publish_reaches_the_broker_under_the_mountpoint(perchd, upstream, client_ids, qos):
    with Sensor(perchd.address, client_ids(f"pub{qos}")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"greenhouse/{sensor.client_id}/temperature"
        tid = sensor.register(topic)
        payload = f"21.5 at qos {qos}".encode()
        sensor.publish(tid, payload, qos=qos)
        message = upstream.expect(perchd.topic(topic), payload)
        assert message.qos == qos, "the upstream subscriber asked for QoS 2, so it gets the publisher's QoS"
        assert not message.retain


def test_registering_the_same_topic_twice_gives_the_same_id(perchd, client_ids):
    with Sensor(perchd.address, client_ids("twice")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        assert sensor.register("a/b") == sensor.register("a/b")
        assert sensor.register("a/b") != sensor.register("a/c")


def test_retained_publish_stays_retained_upstream(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("retain")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"retained/{sensor.client_id}"
        sensor.publish(sensor.register(topic), b"kept", qos=1, retain=True)
        upstream.expect(perchd.topic(topic), b"kept")
    # A new subscriber gets it from the broker's store, flagged retained.
    upstream.subscribe(perchd.topic(topic))
    assert upstream.expect(perchd.topic(topic), b"kept", where=lambda m: m.retain).retain
    upstream.publish(perchd.topic(topic), b"", qos=1, retain=True)  # leave the broker clean


def test_qos_minus_one_with_a_predefined_id_needs_no_connection(perchd, upstream):
    # §6.8: a QoS -1 PUBLISH from a client that never connected, predefined topic id.
    with Sensor(perchd.address, "never-connected") as sensor:
        sensor.send(packets.publish(1, b"19.0", qos=-1, tid_type=packets.PREDEFINED))
        upstream.expect(perchd.topic(PREDEFINED_TOPICS[1]), b"19.0")
        sensor.expect_nothing(within=0.3)  # QoS -1 is never answered


def test_qos_minus_one_with_a_short_topic_name_needs_no_connection(perchd, upstream):
    with Sensor(perchd.address, "never-connected") as sensor:
        sensor.send(packets.publish(packets.short_id("ht"), b"55", qos=-1, tid_type=packets.SHORT))
        upstream.expect(perchd.topic("ht"), b"55")


@pytest.mark.parametrize("qos", [0, 1])
def test_short_topic_name_publish(perchd, upstream, client_ids, qos):
    # §3 and §6.7: a two-character topic name travels in the TopicId field.
    with Sensor(perchd.address, client_ids("short")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        sensor.publish(packets.short_id("zq"), f"short {qos}".encode(), qos=qos, tid_type=packets.SHORT)
        upstream.expect(perchd.topic("zq"), f"short {qos}".encode())


def test_predefined_topic_publish_by_a_connected_client_at_qos_1(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("predef")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        sensor.publish(2, b"61", qos=1, tid_type=packets.PREDEFINED)
        upstream.expect(perchd.topic(PREDEFINED_TOPICS[2]), b"61")


def test_publish_to_an_unknown_topic_id_is_rejected_with_invalid_topic_id(perchd, client_ids):
    # §6.6: PUBACK with "rejected: invalid topic ID" for a TopicId the gateway does not know.
    with Sensor(perchd.address, client_ids("badtid")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        mid = sensor.next_mid()
        sensor.send(packets.publish(0x4242, b"x", qos=1, mid=mid))
        puback = sensor.expect(sn.PUBACK)[sn.MQTTSNPuback]
        assert (puback.tid, puback.mid, puback.return_code) == (0x4242, mid, sn.REJ_TID)


def test_payload_needing_the_three_octet_length_form(perchd, upstream, client_ids):
    # §5.2.1: a message longer than 255 octets starts 0x01 and a two-octet length.
    payload = bytes(range(256)) * 2
    with Sensor(perchd.address, client_ids("long")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"long/{sensor.client_id}"
        tid = sensor.register(topic)
        datagram = bytes(packets.publish(tid, payload, qos=1, mid=sensor.next_mid()))
        assert datagram[0] == 0x01 and int.from_bytes(datagram[1:3], "big") == len(datagram)
        sensor.send(datagram)
        assert sensor.expect(sn.PUBACK)[sn.MQTTSNPuback].return_code == sn.ACCEPTED
        upstream.expect(perchd.topic(topic), payload)


def test_qos_2_duplicate_publish_is_forwarded_once(perchd, upstream, client_ids):
    # §6.6 / MQTT §4.3.3: a PUBLISH resent with DUP before PUBREL is the same message.
    with Sensor(perchd.address, client_ids("dup2")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"once/{sensor.client_id}"
        tid = sensor.register(topic)
        mid = sensor.next_mid()
        sensor.send(packets.publish(tid, b"exactly once", qos=2, mid=mid))
        assert sensor.expect(sn.PUBREC)[sn.MQTTSNPubrec].mid == mid
        sensor.send(packets.publish(tid, b"exactly once", qos=2, mid=mid, dup=True))
        assert sensor.expect(sn.PUBREC)[sn.MQTTSNPubrec].mid == mid
        sensor.send(packets.pubrel(mid))
        assert sensor.expect(sn.PUBCOMP)[sn.MQTTSNPubcomp].mid == mid
        upstream.expect(perchd.topic(topic), b"exactly once")
        # A marker published after it: once it is upstream, a duplicate would be too.
        sensor.publish(tid, b"marker", qos=1)
        upstream.expect(perchd.topic(topic), b"marker")
        assert [m.payload for m in upstream.seen if m.topic == perchd.topic(topic)] == [b"exactly once", b"marker"]
