"""A restart of perchd keeps topic registrations and the subscriptions of
clean-session-off clients (SPEC §3); MQTT-SN over IPv6."""

from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.flows import await_downlink
from perch_interop.sensor import Sensor


def test_restart_keeps_registrations_and_subscriptions(perchd, upstream, client_ids):
    with Sensor(perchd.address, client_ids("durable")) as sensor:
        assert sensor.connect(duration=60, clean=False) == sn.ACCEPTED
        data_topic = f"data/{sensor.client_id}"
        command_topic = f"cmd/{sensor.client_id}"
        tid = sensor.register(data_topic)
        suback = sensor.subscribe(qos=1, topic_name=command_topic)

        perchd.restart()

        # The sensor does not know perchd restarted: its topic id still works...
        sensor.publish(tid, b"after restart", qos=1)
        upstream.expect(perchd.topic(data_topic), b"after restart")
        # ...and its subscription was taken upstream again.
        await_downlink(sensor, upstream, perchd.topic(command_topic))
        upstream.publish(perchd.topic(command_topic), b"still subscribed", qos=1)
        publish = sensor.receive_publish()
        assert (publish.tid, publish.data) == (suback.tid, b"still subscribed")

        # Reconnecting with clean session off keeps them too (§6.3).
        assert sensor.connect(duration=60, clean=False) == sn.ACCEPTED
        sensor.publish(tid, b"after reconnect", qos=1)
        upstream.expect(perchd.topic(data_topic), b"after reconnect")


def test_restart_keeps_the_topic_id_a_client_registered_before(perchd, upstream, client_ids):
    client_id = client_ids("reregister")
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(clean=False) == sn.ACCEPTED
        tid = sensor.register("data/stable")
    perchd.restart()
    # A new socket (a new address) for the same client id, clean session off.
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(clean=False) == sn.ACCEPTED
        assert sensor.register("data/stable") == tid


def test_mqttsn_over_ipv6(start_perchd, upstream, client_ids):
    instance = start_perchd(ipv6=True)
    with Sensor(instance.address6, client_ids("six")) as sensor, \
            Sensor(instance.address, client_ids("four")) as four:
        assert sensor.connect() == sn.ACCEPTED
        assert four.connect() == sn.ACCEPTED  # both listeners at once
        topic = f"v6/{sensor.client_id}"
        sensor.publish(sensor.register(topic), b"over ::1", qos=1)
        upstream.expect(instance.topic(topic), b"over ::1")
        sensor.subscribe(qos=1, topic_name=f"cmd/{sensor.client_id}")
        await_downlink(sensor, upstream, instance.topic(f"cmd/{sensor.client_id}"))
        upstream.publish(instance.topic(f"cmd/{sensor.client_id}"), b"down ::1", qos=1)
        assert sensor.receive_publish().data == b"down ::1"
        sensor.send(packets.searchgw())
        sensor.expect(sn.GWINFO)
