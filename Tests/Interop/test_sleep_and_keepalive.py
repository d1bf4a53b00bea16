"""Sleeping clients (§6.14), keep-alive supervision and the will (§6.11, SPEC §3),
will updates (§6.4)."""

from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.flows import await_downlink
from perch_interop.sensor import Sensor


def test_sleeping_client_gets_its_buffered_messages_when_it_wakes(perchd, upstream, client_ids):
    client_id = client_ids("sleepy")
    topic = f"cmd/{client_id}"
    with Sensor(perchd.address, client_id) as sleepy, Sensor(perchd.address, client_ids("awake")) as witness:
        assert sleepy.connect(duration=30) == sn.ACCEPTED
        assert witness.connect(duration=30) == sn.ACCEPTED
        suback = sleepy.subscribe(qos=1, topic_name=topic)
        await_downlink(sleepy, upstream, perchd.topic(topic))
        witness.subscribe(qos=1, topic_name=topic)
        sleepy.disconnect(duration=60)
        upstream.expect(perchd.presence_topic(client_id), b"asleep")

        for payload in (b"first", b"second"):
            upstream.publish(perchd.topic(topic), payload, qos=1)
            # The gateway hands one downlink message to all its subscribers at
            # once: when the awake witness has it, the sleeper's buffer has it.
            assert witness.receive_publish().data == payload
        sleepy.expect_nothing(within=0.3)  # held while asleep

        # §6.14: PINGREQ with the client id wakes it; the buffered messages come,
        # each acknowledged, and PINGRESP only after them.
        sleepy.send(packets.pingreq(client_id))
        first = sleepy.receive_publish(acknowledge=False)
        assert (first.tid, first.qos, first.data) == (suback.tid, sn.QOS_1, b"first")
        # Not acknowledged yet: neither the next message nor PINGRESP may come
        # (within Tretry, 1 s here, after which the first would be resent).
        sleepy.expect_nothing(within=0.5)
        sleepy.send(packets.puback(first.tid, first.mid))
        second = sleepy.receive_publish()
        assert (second.tid, second.data) == (suback.tid, b"second")
        sleepy.expect(sn.PINGRESP)

        # Back to sleep: nothing is held any more, so the next wake is a bare PINGRESP.
        sleepy.ping(client_id)


def test_keepalive_expiry_publishes_the_will_and_presence_lost(perchd, upstream, client_ids):
    client_id = client_ids("silent")
    will_topic = f"will/{client_id}"
    with Sensor(perchd.address, client_id) as sensor:
        # Keep-alive 1 s: lost after 1.5 s of silence (SPEC §3).
        assert sensor.connect(duration=1, will=(will_topic, b"I am gone"), will_qos=1) == sn.ACCEPTED
        upstream.expect(perchd.presence_topic(client_id), b"online")
        # Say nothing more. Waiting for the will on the broker is the bound.
        will = upstream.expect(perchd.topic(will_topic), b"I am gone", timeout=8.0)
        assert will.qos == 1
        upstream.expect(perchd.presence_topic(client_id), b"lost", timeout=8.0)


def test_will_topic_and_message_updates_are_used_when_the_client_is_lost(perchd, upstream, client_ids):
    client_id = client_ids("willupd")
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(duration=2, will=(f"will/{client_id}/old", b"old")) == sn.ACCEPTED
        # §6.4: WILLTOPICUPD → WILLTOPICRESP, WILLMSGUPD → WILLMSGRESP, both accepted.
        sensor.send(packets.will_topic_update(f"will/{client_id}/new", qos=1, retain=True))
        assert sensor.expect(sn.WILLTOPICRESP)[sn.MQTTSNWillTopicResp].return_code == sn.ACCEPTED
        sensor.send(packets.will_message_update(b"new"))
        assert sensor.expect(sn.WILLMSGRESP)[sn.MQTTSNWillMsgResp].return_code == sn.ACCEPTED
        will = upstream.expect(perchd.topic(f"will/{client_id}/new"), b"new", timeout=10.0)
        assert will.qos == 1 and will.retain
        upstream.expect(perchd.presence_topic(client_id), b"lost", timeout=8.0)
    upstream.publish(perchd.topic(f"will/{client_id}/new"), b"", qos=1, retain=True)  # leave the broker clean


def test_a_sleeper_that_oversleeps_is_lost_and_its_will_published(perchd, upstream, client_ids):
    client_id = client_ids("oversleep")
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(duration=30, will=(f"will/{client_id}", b"overslept")) == sn.ACCEPTED
        sensor.disconnect(duration=1)
        upstream.expect(perchd.presence_topic(client_id), b"asleep")
        upstream.expect(perchd.topic(f"will/{client_id}"), b"overslept", timeout=8.0)
        upstream.expect(perchd.presence_topic(client_id), b"lost", timeout=8.0)
