"""Issue 20, MQTT-SN: the order of what a sensor hears (its PUBACK before the
broker's echo of its own PUBLISH; SUBACK before the retained message of the
filter it grants), a QoS -1 PUBLISH to an unconfigured predefined id counted
as invalid, and the `debug` lines about refusals and drops, with IPv6 peers
written `[::1]:port`."""

import re

from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.flows import await_downlink
from perch_interop.sensor import Sensor

ROUNDS = 6


def test_puback_comes_before_the_echo_of_the_same_publish(perchd, upstream, client_ids):
    """The Eclipse Paho MQTT-SN sample `pub0sub1`: subscribe to a topic, publish
    QoS 1 to it, expect the PUBACK. It failed 5 times in 6: Mosquitto sends the
    echo before its PUBACK, and perchd passed it on first. Six rounds, each on a
    fresh topic."""
    with Sensor(perchd.address, client_ids("pub0sub1")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        for round_ in range(ROUNDS):
            topic = f"echo/{sensor.client_id}/{round_}"
            suback = sensor.subscribe(qos=1, topic_name=topic)
            await_downlink(sensor, upstream, perchd.topic(topic))
            mid = sensor.next_mid()
            sensor.send(packets.publish(suback.tid, f"round {round_}".encode(), qos=1, mid=mid))
            first = sensor.receive()
            assert first.type == sn.PUBACK, (
                f"round {round_}: {packets.type_name(first.type)} came before the PUBACK: "
                f"{sensor.received[-1].hex(' ')}")
            assert first[sn.MQTTSNPuback].mid == mid
            echo = sensor.receive_publish()
            assert (echo.tid, echo.data) == (suback.tid, f"round {round_}".encode())


def test_suback_comes_before_the_retained_message_it_grants(perchd, upstream, client_ids):
    """§6.9: the client learns the topic id from the SUBACK, so it comes before
    the broker's retained message for the new subscription, though the two
    reach perchd through different tasks. Six rounds, each on a fresh filter."""
    with Sensor(perchd.address, client_ids("retained")) as sensor:
        assert sensor.connect() == sn.ACCEPTED
        for round_ in range(ROUNDS):
            topic = f"kept/{sensor.client_id}/{round_}"
            upstream.publish(perchd.topic(topic), f"kept {round_}".encode(), qos=1, retain=True)
            mid = sensor.next_mid()
            sensor.send(packets.subscribe(mid, qos=1, topic_name=topic))
            first = sensor.receive()
            assert first.type == sn.SUBACK, (
                f"round {round_}: {packets.type_name(first.type)} came before the SUBACK: "
                f"{sensor.received[-1].hex(' ')}")
            suback = first[sn.MQTTSNSuback]
            assert (suback.mid, suback.return_code) == (mid, sn.ACCEPTED)
            publish = sensor.receive_publish()
            assert (publish.tid, publish.data) == (suback.tid, f"kept {round_}".encode())
        sensor.disconnect()
    for round_ in range(ROUNDS):
        upstream.publish(perchd.topic(f"kept/{sensor.client_id}/{round_}"), b"", qos=1, retain=True)


def test_refusals_and_drops_are_logged_and_ipv6_peers_bracketed(start_perchd, upstream, client_ids):
    """At `debug` (the suite's level): a QoS -1 PUBLISH to a predefined id that
    is not configured is counted as invalid and logged; DISCONNECT to an address
    with no session, a refusing SUBACK and PUBACK each get a line; the peer is
    `[::1]:port` (issue 20 items 8, 9, 11)."""
    instance = start_perchd(ipv6=True)
    with Sensor(instance.address6, client_ids("refused6")) as sensor:
        port = sensor.socket.getsockname()[1]
        peer = re.escape(f"[::1]:{port}")
        sensor.send(packets.publish(0x0063, b"lost", qos=-1, tid_type=packets.PREDEFINED))
        # §6.5: the sender hears that its id is unknown, as at every QoS.
        assert sensor.expect(sn.PUBACK)[sn.MQTTSNPuback].return_code == sn.REJ_TID
        instance.log.wait_for(
            rf"QoS -1 PUBLISH from {peer} on predefined id 0x0063 dropped", timeout=10)
        status = upstream.expect_status(
            instance.status_topic, lambda doc: doc.get("mqttsn", {}).get("invalid", 0) >= 1, timeout=40)
        assert status["mqttsn"]["invalid"] >= 1

        sensor.send(packets.pingreq(None))
        sensor.expect(sn.DISCONNECT)
        instance.log.wait_for(rf"PINGREQ from {peer}, which has no session: answered DISCONNECT", timeout=10)

        assert sensor.connect() == sn.ACCEPTED
        mid = sensor.next_mid()
        sensor.send(packets.subscribe(mid, qos=0, predefined=0x0077))
        assert sensor.expect(sn.SUBACK)[sn.MQTTSNSuback].return_code == sn.REJ_TID
        instance.log.wait_for(
            rf'SUBACK "rejected: invalid topic ID" \(MsgId {mid}\) to {peer} \(client {sensor.client_id}\)', timeout=10)
        mid = sensor.next_mid()
        sensor.send(packets.publish(0x0042, b"x", qos=1, mid=mid))
        assert sensor.expect(sn.PUBACK)[sn.MQTTSNPuback].return_code == sn.REJ_TID
        instance.log.wait_for(rf'PUBACK "rejected: invalid topic ID" \(MsgId {mid}, TopicId 0x0042\) to {peer}', timeout=10)


def test_the_first_status_after_a_restart_counts_the_restored_clients(perchd, upstream, client_ids):
    """Issue 20 item 10: the first document of a run has every key of the
    `mqttsn` section, `kernel_drops` included, and counts the clients restored
    from the last run rather than 0."""
    with Sensor(perchd.address, client_ids("kept")) as sensor:
        assert sensor.connect(duration=600, clean=False) == sn.ACCEPTED
        upstream.expect_status(perchd.status_topic, lambda doc: doc.get("mqttsn", {}).get("clients") == 1)
        perchd.restart()
        # In order on the watcher's queue: the stopping run's "offline", then the new run's first.
        upstream.expect_status(perchd.status_topic, lambda doc: doc.get("state") == "offline")
        first = upstream.expect_status(perchd.status_topic, lambda doc: doc.get("state") == "online")
        section = first["mqttsn"]
        assert section["clients"] == 1, f"first document of the new run: {first}"
        for key in ("clients", "asleep", "rx", "tx", "invalid", "rate_limited", "kernel_drops"):
            assert isinstance(section.get(key), int), f"{key} missing in the first document: {section}"
