"""The brokers of test_broker_limits.py and test_amqtt.py, checked before
anything relies on them (as test_spool_harness.py does for the outage
broker): a Mosquitto's `extra_lines` reach its listener (the v5 CONNACK
announces the limits), amqtt runs over TLS with the test CA, forgets
everything across a restart and the watcher subscribes again, and the relay
refuses connections while its listener is closed and forwards otherwise."""

import socket

import pytest

from perch_interop.upstream import Upstream


def test_a_limited_mosquitto_announces_its_limits(make_broker, watch):
    broker = make_broker(["max_qos 1", "retain_available false", "max_packet_size 300",
                          "max_inflight_messages 1"])
    watcher = watch(broker)
    properties = watcher.connack_properties[0]
    assert (properties.MaximumQoS, properties.RetainAvailable, properties.MaximumPacketSize,
            properties.ReceiveMaximum) == (1, 0, 300, 1), properties


def test_a_limit_mosquitto_refuses_leaves_nothing_running(make_broker):
    # mosquitto.conf(5) refuses max_packet_size below 20: the broker exits, and
    # the fixture does not leave a process or a directory behind.
    with pytest.raises(AssertionError, match="max_packet_size"):
        make_broker(["max_packet_size 19"])


def test_amqtt_restarts_on_its_port_and_the_watcher_subscribes_again(make_amqtt, watch):
    broker = make_amqtt()
    watcher = watch(broker, protocol="3.1.1", resubscribe=True)
    watcher.subscribe("harness/#", qos=1)
    publisher = watch(broker, protocol="3.1.1", resubscribe=True)
    publisher.publish("harness/before", b"1", qos=1)
    assert watcher.expect("harness/before", b"1").qos == 1

    broker.stop()
    broker.start()
    watcher.wait_for_resubscription(2)
    publisher.wait_for_connection(2)
    publisher.publish("harness/after", b"2", qos=1)
    watcher.expect("harness/after", b"2")


def test_the_relay_refuses_while_closed_and_forwards_when_open(make_broker, make_relay):
    broker = make_broker()
    relay = make_relay((broker.host, broker.port))
    relay.close_listener()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((relay.host, relay.port), timeout=5).close()
    relay.open_listener()

    class ThroughRelay:
        host, port, certificates = relay.host, relay.port, broker.certificates

    watcher = Upstream(ThroughRelay())
    try:
        watcher.subscribe("harness/relay", qos=1)
        watcher.publish("harness/relay", b"through", qos=1)
        watcher.expect("harness/relay", b"through")
    finally:
        watcher.close()
    assert relay.connections == 1
