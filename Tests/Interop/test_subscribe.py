"""Broker → sensor: SUBSCRIBE/UNSUBSCRIBE (§6.9), the gateway's REGISTER and
PUBLISH (§6.10), downlink QoS 1 with retransmission (§6.13)."""

from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.flows import await_downlink
from perch_interop.perchd import PREDEFINED_TOPICS
from perch_interop.sensor import Sensor


def test_wildcard_subscribe_receives_a_register_then_the_publish(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("wild")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        suback = sensor.subscribe(qos=1, topic_name=f"cmd/{sensor.client_id}/+")
        # §5.4.16: a SUBACK for a wildcard filter carries TopicId 0x0000.
        assert suback.tid == 0x0000
        assert suback.qos == sn.QOS_1, "the granted QoS is the one asked for"
        await_downlink(sensor, upstream, perchd.topic(f"cmd/{sensor.client_id}/probe"))
        topic = f"cmd/{sensor.client_id}/led"
        upstream.publish(perchd.topic(topic), b"ON", qos=1)
        # §6.10: the gateway REGISTERs the topic first (mountpoint stripped), and
        # PUBLISHes with that id once the client has sent REGACK.
        tid, name = sensor.accept_register()
        assert name == topic
        assert tid not in (0x0000, 0xFFFF)
        publish = sensor.receive_publish()
        assert (publish.tid, publish.tid_type, publish.data) == (tid, packets.NORMAL, b"ON")
        assert publish.qos == sn.QOS_1 and publish.mid != 0
        # The id is known now: the next message on that topic comes without a REGISTER.
        upstream.publish(perchd.topic(topic), b"OFF", qos=1)
        publish = sensor.receive_publish()
        assert (publish.tid, publish.data) == (tid, b"OFF")


def test_subscribe_by_topic_name_returns_its_id_and_downlink_uses_it(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("byname")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"cmd/{sensor.client_id}"
        suback = sensor.subscribe(qos=0, topic_name=topic)
        assert suback.tid not in (0x0000, 0xFFFF), "§5.4.16: a topic name gets its topic id in SUBACK"
        await_downlink(sensor, upstream, perchd.topic(topic))
        upstream.publish(perchd.topic(topic), b"hello", qos=0)
        publish = sensor.receive_publish()
        assert (publish.tid, publish.qos, publish.mid, publish.data) == (suback.tid, sn.QOS_0, 0, b"hello")


def test_subscribe_by_predefined_id_and_by_short_name(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("idsub")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        assert sensor.subscribe(qos=0, predefined=1).tid == 1
        sensor.subscribe(qos=0, short="zz")
        await_downlink(sensor, upstream, perchd.topic(PREDEFINED_TOPICS[1]))
        await_downlink(sensor, upstream, perchd.topic("zz"))
        upstream.publish(perchd.topic(PREDEFINED_TOPICS[1]), b"20.1", qos=0)
        publish = sensor.receive_publish()
        assert (publish.tid_type, publish.tid, publish.data) == (packets.PREDEFINED, 1, b"20.1")
        upstream.publish(perchd.topic("zz"), b"short", qos=0)
        publish = sensor.receive_publish()
        assert (publish.tid_type, publish.tid, publish.data) == (packets.SHORT, packets.short_id("zz"), b"short")


def test_unsubscribe_stops_delivery_while_another_client_keeps_the_topic(perchd, upstream, client_ids):
    topic = f"cmd/{client_ids('shared')}"
    with Sensor(perchd.address, client_ids("unsub")) as leaving, \
            Sensor(perchd.address, client_ids("witness")) as witness:
        assert leaving.connect() == sn.ACCEPTED
        assert witness.connect() == sn.ACCEPTED
        leaving.subscribe(qos=0, topic_name=topic)
        await_downlink(leaving, upstream, perchd.topic(topic))
        witness.subscribe(qos=0, topic_name=topic)  # already held upstream: counted, not resent
        upstream.publish(perchd.topic(topic), b"one", qos=0)
        assert leaving.receive_publish().data == b"one"
        assert witness.receive_publish().data == b"one"
        leaving.unsubscribe(topic_name=topic)
        upstream.publish(perchd.topic(topic), b"two", qos=0)
        # Both would get "two" in the same turn of the gateway: once the witness
        # has it, the one that left must have nothing.
        assert witness.receive_publish().data == b"two"
        leaving.expect_nothing(within=0.3)


def test_downlink_at_qos_1_is_retransmitted_with_dup_until_acknowledged(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("q1down")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        topic = f"cmd/{sensor.client_id}"
        suback = sensor.subscribe(qos=1, topic_name=topic)
        await_downlink(sensor, upstream, perchd.topic(topic))
        upstream.publish(perchd.topic(topic), b"relay on", qos=1)
        first = sensor.receive_publish(acknowledge=False)
        assert (first.tid, first.qos, first.dup, first.data) == (suback.tid, sn.QOS_1, 0, b"relay on")
        # §6.13: not acknowledged within Tretry (1 s here) → sent again, DUP set, same MsgId.
        again = sensor.receive_publish(timeout=3.0, acknowledge=False)
        assert (again.mid, again.dup, again.data) == (first.mid, 1, b"relay on")
        sensor.send(packets.puback(again.tid, again.mid))
        sensor.expect_nothing(within=1.5)  # acknowledged: no further retransmission
        sensor.ping()
