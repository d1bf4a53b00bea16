"""A broker that is not Mosquitto and speaks only MQTT 3.1.1 (issue 19):
amqtt 0.12.1 from PyPI, over TLS with the suite's test CA
(`perch_interop/amqtt_broker.py`). perchd with `uplink.protocol: "3.1.1"`
connects, relays, survives the broker going away and coming back with
nothing acknowledged lost; perchd with the default `protocol: "5"` is told,
in its log and status, to set `uplink.protocol: "3.1.1"`.

amqtt keeps nothing across a restart, so the watcher subscribes again when
it reconnects, and a relay in front of the broker keeps perchd away (its
listener closed: connection refused, exactly as with the broker down) until
the watcher is subscribed again; otherwise what perchd drains in the first
moments could reach a broker with no subscriber yet."""

import pytest

from perch_interop.fleet import Fleet
from perch_interop.limits import (PROTOCOL_HINT, PROTOCOL_HINT_LOG, SeriesSensor, connected_status,
                                  dead_lettered, degraded, expect_in_order, status)
from perch_interop.spool import expect_arrival, spool_status

V311 = {"uplink": {"protocol": "3.1.1"}}


def test_perchd_with_mqtt_3_1_1_connects_and_relays(make_amqtt, watch, start_perchd_on, client_ids):
    broker = make_amqtt()
    watcher = watch(broker, protocol="3.1.1")
    perchd = start_perchd_on(broker, watcher, extra=V311)
    document = connected_status(watcher, perchd)
    # amqtt takes retain and QoS 2: nothing given up (SPEC §7: the keys are there).
    assert degraded(document) == []
    assert dead_lettered(document) == 0
    with SeriesSensor(perchd, client_ids("amqtt")) as sensor:
        topic = f"amqtt/{sensor.client_id}"
        payloads = sensor.series(topic, 5, "q1", qos=1) + sensor.series(topic, 3, "q2", qos=2)
        # Not the QoS: amqtt 0.12.1 delivers at the subscription's QoS, even
        # above the publisher's (measured), so the watcher cannot tell.
        expect_in_order(watcher, perchd.topic(topic), payloads)


@pytest.mark.timeout(120)
def test_an_amqtt_outage_loses_nothing_acknowledged(make_amqtt, make_relay, watch, start_perchd_on, client_ids):
    broker = make_amqtt()
    relay = make_relay((broker.host, broker.port))
    watcher = watch(broker, protocol="3.1.1", resubscribe=True)
    perchd = start_perchd_on(broker, watcher, qos=1,
                             extra={"uplink": {"protocol": "3.1.1", "url": relay.url()}})
    connected_status(watcher, perchd)

    # Before: the path works end to end, nothing left in flight.
    warm_up = Fleet(perchd.address, [client_ids("amqtt-pre") for _ in range(2)], count=20,
                    deadline_s=20).start()
    try:
        warm_up.wait_for_accepted(40, timeout=15)
    finally:
        warm_up.stop()
    expect_arrival(watcher, perchd, warm_up.arrivals(perchd.mountpoint), warm_up.accepted(), timeout=15)

    # The outage: perchd is refused like by a broker that is down.
    relay.close_listener()
    mark = perchd.log.count()
    broker.stop()
    perchd.log.wait_for(r"uplink connection lost", timeout=10, start=mark)
    fleet = Fleet(perchd.address, [client_ids("amqtt-out") for _ in range(4)], count=50,
                  deadline_s=40).start()
    try:
        # Acknowledged with the broker down: the spool committed them.
        fleet.wait_for_accepted(200, timeout=30)
    finally:
        fleet.stop()
    assert not broker.running
    accepted = fleet.accepted()
    assert sum(map(len, accepted.values())) == 200, fleet.summary()

    # Back: the watcher subscribes again first, then perchd may connect.
    connections = watcher.connections
    broker.start()
    watcher.wait_for_resubscription(connections + 1)
    mark = perchd.log.count()
    relay.open_listener()
    perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(watcher, perchd, arrivals, accepted, timeout=30)
    assert arrivals.out_of_order() == {}, "first arrivals out of order per client"
    spool_status(watcher, perchd, lambda spool: spool.get("messages") == 0, timeout=20)
    document = status(watcher, perchd, lambda doc: doc.get("uplink", {}).get("connected") is True)
    # A broker that was merely away is no reason to give anything up.
    assert degraded(document) == []
    assert dead_lettered(document) == 0


def test_mqtt_5_against_amqtt_says_to_set_uplink_protocol(make_amqtt, make_broker, make_relay, watch,
                                                          start_perchd_on):
    """amqtt does not answer perchd's v5 CONNECT at all (measured: it misreads
    the v5 will and waits for bytes that never come). perchd gives up after
    `connect_timeout` and says why; the status says it too once the relay
    switches it to a broker that speaks MQTT 5."""
    amqtt = make_amqtt()
    mosquitto = make_broker()
    relay = make_relay((amqtt.host, amqtt.port))
    watcher = watch(mosquitto)
    perchd = start_perchd_on(mosquitto, watcher, wait_for_uplink=False, extra={
        "uplink": {"protocol": "5", "url": relay.url(), "connect_timeout": "2s"}})
    line = perchd.log.wait_for(PROTOCOL_HINT_LOG, timeout=20)
    assert "MQTT 5" in line, line
    mark = perchd.log.count()
    relay.target = (mosquitto.host, mosquitto.port)
    perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
    document = connected_status(watcher, perchd)
    assert PROTOCOL_HINT in (document["uplink"].get("last_error") or ""), document["uplink"]
