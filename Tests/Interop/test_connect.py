"""CONNECT, the will flow and DISCONNECT (§6.2, §6.12), and presence (SPEC §2)."""

import pytest
from scapy.contrib import mqttsn as sn

from perch_interop import packets
from perch_interop.sensor import Sensor


def test_connect_with_will_runs_the_will_flow_and_is_accepted(perchd, upstream, client_ids):
    client_id = client_ids("will")
    with Sensor(perchd.address, client_id) as sensor:
        # §6.2: CONNECT(Will) → WILLTOPICREQ → WILLTOPIC → WILLMSGREQ → WILLMSG → CONNACK.
        assert sensor.connect(duration=30, will=("will/" + client_id, b"gone"), will_qos=1) == sn.ACCEPTED
        upstream.expect(perchd.presence_topic(client_id), b"online")
        sensor.ping()
        # §6.12: a client's own DISCONNECT ends the session without the will.
        sensor.disconnect()
        upstream.expect(perchd.presence_topic(client_id), b"offline")
        upstream.expect_none(perchd.topic("will/" + client_id), within=1.0)


def test_connect_without_will_gets_connack_directly(perchd, client_ids):
    with Sensor(perchd.address, client_ids("plain")) as sensor:
        sensor.send(packets.connect(sensor.client_id, duration=30))
        connack = sensor.expect(sn.CONNACK)
        assert connack.len == 3
        assert connack[sn.MQTTSNConnack].return_code == sn.ACCEPTED


def test_presence_goes_online_asleep_online_offline(perchd, upstream, client_ids):
    client_id = client_ids("presence")
    presence = perchd.presence_topic(client_id)
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(duration=30) == sn.ACCEPTED
        message = upstream.expect(presence, b"online")
        assert message.retain, "presence is retained (SPEC §2)"
        sensor.disconnect(duration=60)  # §6.14: asleep for up to 60 s
        upstream.expect(presence, b"asleep")
        assert sensor.connect(duration=30, clean=False) == sn.ACCEPTED  # §6.14: awake → active
        upstream.expect(presence, b"online")
        sensor.disconnect()
        upstream.expect(presence, b"offline")


@pytest.mark.perchd_config({"mqttsn": {"max_clients": 1}})
def test_one_client_more_than_max_clients_gets_congestion(perchd, client_ids):
    with Sensor(perchd.address, client_ids("first")) as first, \
            Sensor(perchd.address, client_ids("second")) as second:
        assert first.connect() == sn.ACCEPTED
        assert second.connect() == sn.REJ_CONJ  # §5.3.10: 0x01 "rejected: congestion"
        first.disconnect()
        assert second.connect() == sn.ACCEPTED


def test_empty_will_topic_update_deletes_the_will(perchd, upstream, client_ids):
    client_id = client_ids("nowill")
    with Sensor(perchd.address, client_id) as sensor:
        assert sensor.connect(duration=1, will=(f"will/{client_id}", b"never")) == sn.ACCEPTED
        # §6.4: an empty WILLTOPICUPD (two octets) deletes will topic and message.
        sensor.send(packets.empty_will_topic_update())
        assert sensor.expect(sn.WILLTOPICRESP)[sn.MQTTSNWillTopicResp].return_code == sn.ACCEPTED
        upstream.expect(perchd.presence_topic(client_id), b"lost", timeout=8.0)
        upstream.expect_none(perchd.topic(f"will/{client_id}"), within=0.5)
        assert all(m.topic != perchd.topic(f"will/{client_id}") for m in upstream.seen)


@pytest.mark.perchd_config({"mqttsn": {"allow_clients": ["allowed-one"]}})
def test_a_client_id_outside_allow_clients_is_refused(perchd):
    # Docs/mqtt-sn.md: CONNACK "rejected: not supported" (§5.3.10, 0x03).
    with Sensor(perchd.address, "someone-else") as stranger, Sensor(perchd.address, "allowed-one") as allowed:
        assert stranger.connect() == sn.REJ_NOTSUP
        assert allowed.connect() == sn.ACCEPTED


def test_clean_session_on_forgets_registrations(perchd, client_ids):
    # §6.3: CONNECT with CleanSession set deletes the client's topic ids.
    with Sensor(perchd.address, client_ids("cleaner")) as sensor:
        assert sensor.connect(clean=False) == sn.ACCEPTED
        tid = sensor.register("data/forgotten")
        assert sensor.connect(clean=True) == sn.ACCEPTED
        mid = sensor.next_mid()
        sensor.send(packets.publish(tid, b"x", qos=1, mid=mid))
        puback = sensor.expect(sn.PUBACK)[sn.MQTTSNPuback]
        assert (puback.tid, puback.mid, puback.return_code) == (tid, mid, sn.REJ_TID)
