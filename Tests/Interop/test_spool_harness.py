"""The ground the spool's tests stand on (test_spool_*.py): a persistent
Mosquitto that is stopped and started again keeps a subscriber's session and
the messages queued for it, so a watcher with a durable session misses nothing
that reaches the broker while the broker, or the watcher, is away; and
perchd killed while the broker is away starts again and serves sensors."""

from scapy.contrib import mqttsn as sn

from perch_interop.sensor import Sensor
from perch_interop.spool import Outage
from perch_interop.upstream import Upstream


def _publish_numbered(broker, topic: str, count: int, stem: str) -> list[bytes]:
    publisher = Upstream(broker)
    try:
        payloads = [f"{stem} {number}".encode() for number in range(count)]
        for data in payloads:
            publisher.publish(topic, data, qos=1)
        return payloads
    finally:
        publisher.close()


def _expect_in_order(watcher: Upstream, topic: str, payloads: list[bytes]) -> None:
    for data in payloads:
        watcher.expect(topic, data, timeout=10)


def test_a_durable_session_and_its_queue_survive_a_broker_restart(outage_broker, durable_upstream):
    topic = "harness/queue"
    durable_upstream.subscribe(topic, qos=1)
    _expect_in_order(durable_upstream, topic, _publish_numbered(outage_broker, topic, 5, "live"))

    # The watcher stays connected while the broker goes and comes back: it
    # reconnects by itself and finds its session (and subscription) there.
    outage_broker.stop()
    outage_broker.start()
    after_restart = _publish_numbered(outage_broker, topic, 50, "after-restart")
    assert durable_upstream.wait_for_connection(2) is True, "the broker forgot the watcher's session"
    _expect_in_order(durable_upstream, topic, after_restart)

    # Messages queued for a watcher that is away are saved by the broker on
    # SIGTERM and delivered when the watcher comes back after the restart.
    client_id = durable_upstream.client_id
    durable_upstream.close()
    queued = _publish_numbered(outage_broker, topic, 200, "queued")
    outage_broker.stop()
    outage_broker.start()
    returning = Upstream(outage_broker, durable=True, client_id=client_id)
    try:
        assert returning.sessions_present == [True], "the broker forgot the session across its restart"
        _expect_in_order(returning, topic, queued)
    finally:
        returning.close()


def test_perchd_killed_during_an_outage_serves_sensors_again_before_the_broker_returns(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd()
    outage = Outage(perchd, outage_broker).begin()
    perchd.crash_and_restart(wait_for_uplink=False)
    # Same port, same state directory, no broker: sensors are answered.
    with Sensor(perchd.address, client_ids("nobroker")) as sensor:
        assert sensor.connect(clean=False) == sn.ACCEPTED
        sensor.register(f"harness/{sensor.client_id}")
    outage.end()
