"""The same flows through a complete client library nobody here wrote:
mqtt-sn-12's MqttSnClient (connect with will, register + publish at every
QoS, short and predefined topics, subscribe and receive, disconnect)."""

import pytest

from perch_interop.library_client import Collector, LibraryClient
from perch_interop.perchd import PREDEFINED_TOPICS


@pytest.mark.parametrize("qos", [0, 1, 2])
def test_library_connects_with_will_registers_and_publishes(perchd, upstream, client_ids, qos):
    client_id = client_ids(f"lib{qos}")
    with LibraryClient(perchd.address, client_id) as library:
        library.client.set_will(f"will/{client_id}", "library gone", 0, False)
        library.call("send_connect")
        upstream.expect(perchd.presence_topic(client_id), b"online")
        topic = f"lib/{client_id}/reading"
        topic_id = library.call("send_publish", topic, f"reading at qos {qos}", qos)
        assert topic_id not in (0, 0xFFFF)
        message = upstream.expect(perchd.topic(topic), f"reading at qos {qos}".encode())
        assert message.qos == qos
        library.call("send_disconnect")
        upstream.expect(perchd.presence_topic(client_id), b"offline")


def test_library_short_topic_and_predefined_id(perchd, upstream, client_ids):
    with LibraryClient(perchd.address, client_ids("libshort")) as library:
        library.call("send_connect")
        library.call("send_publish", "ls", "short one", 1)
        upstream.expect(perchd.topic("ls"), b"short one")
        library.call("send_publish_predefined", 1, "predefined one", 1)
        upstream.expect(perchd.topic(PREDEFINED_TOPICS[1]), b"predefined one")
        library.call("send_disconnect")


def test_library_qos_minus_one_without_connecting(perchd, upstream):
    with LibraryClient(perchd.address, "lib-minus-one") as library:
        library.call("send_publish_predefined", 2, "no connection", -1)
        upstream.expect(perchd.topic(PREDEFINED_TOPICS[2]), b"no connection")


def test_library_subscribes_with_a_wildcard_and_receives(perchd, upstream, client_ids):
    client_id = client_ids("libsub")
    with LibraryClient(perchd.address, client_id) as library:
        library.call("send_connect")
        received = Collector()
        library.call("send_subscribe", f"cmd/{client_id}/#", 1, received)
        # Perch's SUBACK precedes the broker's (Docs/mqtt-sn.md): probe until
        # the subscription is in place at the broker, bounded in count and time.
        for attempt in range(40):
            upstream.publish(perchd.topic(f"cmd/{client_id}/probe"), f"probe {attempt}".encode(), qos=0)
            try:
                library.poll(until=lambda: received.count() >= 1, timeout=0.25)
                break
            except AssertionError:
                continue
        assert received.count() >= 1, "no probe reached the library's callback"
        upstream.publish(perchd.topic(f"cmd/{client_id}/fan"), b"spin", qos=1)
        # The library answers the gateway's REGISTER itself, then gets the PUBLISH.
        fan = f"cmd/{client_id}/fan"
        library.poll(until=lambda: any(m.get_topic_name() == fan for m in received.messages), timeout=10.0)
        message = next(m for m in received.messages if m.get_topic_name() == fan)
        assert message.get_payload() == b"spin"
        library.call("send_unsubscribe", f"cmd/{client_id}/#")
        library.call("send_disconnect")
