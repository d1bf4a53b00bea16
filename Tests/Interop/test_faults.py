"""Fault injection (issue 8): perchd between sensors and a broker that fails.

Each test injects one fault against a real Mosquitto and asserts, with
counters that show the fault really happened: no message a sensor saw
acknowledged is lost, the order per (client, topic) is kept, perchd does not
crash (the fixtures stop it with SIGTERM and require exit status 0), and the
status topic says what happened. Other faults have their own files:
kill -9 of perchd in a loop (test_spool_crash.py), a full disk during an
outage (test_spool_disk_full.py), malformed datagrams (test_robustness.py)."""

import socket
import time

import pytest

from perch_interop import packets
from perch_interop.fleet import Fleet, payload
from perch_interop.faultproxy import FaultProxy
from perch_interop.sensor import Sensor
from perch_interop.spool import abbreviated, expect_arrival, spool_status
from scapy.contrib import mqttsn as sn


def _check_delivery(fleet, upstream, perchd, timeout: float = 30):
    accepted = fleet.accepted()
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(upstream, perchd, arrivals, accepted, timeout=timeout)
    assert arrivals.out_of_order() == {}, "first arrivals out of order per client"
    return accepted, arrivals


@pytest.mark.crash_safe_broker
def test_broker_killed_and_restarted_under_load_three_times_loses_nothing_perchd_had(
        outage_broker, durable_upstream, start_spooling_perchd, spool_certificates, client_ids):
    """SIGKILL of the broker, three times, under QoS 1 load. Mosquitto sends
    PUBACK before its autosave, so a message it acknowledged just before the
    kill can die with it: the proxy between perchd and the broker records
    every PUBACK, and a message may be missing upstream only if the broker
    had taken it over. Everything else must arrive, in order."""
    proxy = FaultProxy(outage_broker, spool_certificates)
    try:
        perchd = start_spooling_perchd(extra={"uplink": {"url": proxy.url}})
        fleet = Fleet(perchd.address, [client_ids("brokerkill") for _ in range(4)], count=None,
                      deadline_s=50).start()
        kills = 3
        try:
            for _ in range(kills):
                fleet.wait_for_accepted(fleet.accepted_count + 100, timeout=15)
                mark = perchd.log.count()
                outage_broker.kill()
                # Acknowledged while the broker is gone: kept in the spool.
                fleet.wait_for_accepted(fleet.accepted_count + 50, timeout=15)
                outage_broker.start()
                perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
            fleet.wait_for_accepted(fleet.accepted_count + 100, timeout=15)
        finally:
            fleet.stop()
        accepted = fleet.accepted()
        arrivals = fleet.arrivals(perchd.mountpoint)
        for message in durable_upstream.seen:
            arrivals.take(message)

        def lost_by_perch() -> dict[str, list[int]]:
            missing = {client: [n for n in counters if payload(client, n) not in proxy.broker_acknowledged]
                       for client, counters in arrivals.missing(accepted).items()}
            return {client: counters for client, counters in missing.items() if counters}

        try:
            # Everything, if the broker lost nothing; bounded either way.
            durable_upstream.gather(arrivals.take, lambda: not arrivals.missing(accepted), timeout=15,
                                    describe=lambda: "some messages are missing")
        except AssertionError:
            assert not lost_by_perch(), (f"acknowledged by perchd, never PUBACKed by the broker, not upstream: "
                                         f"{abbreviated(lost_by_perch())}")
        spool_status(durable_upstream, perchd, lambda spool: spool.get("messages") == 0, timeout=20)
        assert arrivals.out_of_order() == {}, "first arrivals out of order per client"
        document = durable_upstream.expect_status(
            perchd.status_topic, lambda doc: doc.get("uplink", {}).get("reconnects", 0) >= kills, timeout=20)
        lost_by_broker = sum(map(len, arrivals.missing(accepted).values()))
        print(f"faults: {kills} broker SIGKILLs; acknowledged {sum(map(len, accepted.values()))}, delivered "
              f"{arrivals.total()} distinct ({arrivals.duplicates} duplicates), {lost_by_broker} lost by the "
              f"broker after its PUBACK; reconnects {document['uplink']['reconnects']}")
    finally:
        proxy.close()


def test_a_broker_that_never_answers_connect_is_left_and_retried(
        outage_broker, durable_upstream, start_spooling_perchd, spool_certificates, client_ids):
    proxy = FaultProxy(outage_broker, spool_certificates)
    proxy.mode = "silent"
    try:
        perchd = start_spooling_perchd(extra={"uplink": {"url": proxy.url, "connect_timeout": "1s"}},
                                       wait_for_uplink=False)
        fleet = Fleet(perchd.address, [client_ids("silent") for _ in range(2)], count=40, deadline_s=40).start()
        try:
            # Every message is acknowledged (spooled) though no CONNACK ever comes.
            fleet.wait_for_accepted(80, timeout=20)
            proxy.wait_until(lambda p: p.silenced >= 3, timeout=20, what="perchd did not retry the silent broker")
            perchd.log.wait_for(r"no CONNACK from .* within", timeout=10)
            mark = perchd.log.count()
            proxy.mode = "forward"
            perchd.log.wait_for(r"uplink connected", timeout=20, start=mark)
        finally:
            fleet.stop()
        accepted, arrivals = _check_delivery(fleet, durable_upstream, perchd)
        spool_status(durable_upstream, perchd, lambda spool: spool.get("messages") == 0, timeout=20)
        print(f"faults: {proxy.silenced} CONNECTs never answered; acknowledged "
              f"{sum(map(len, accepted.values()))}, delivered {arrivals.total()} distinct")
    finally:
        proxy.close()


def test_a_connection_dropped_in_the_middle_of_a_publish_loses_nothing(
        outage_broker, durable_upstream, start_spooling_perchd, spool_certificates, client_ids):
    proxy = FaultProxy(outage_broker, spool_certificates)
    proxy.mode, proxy.cut_after, proxy.cuts_left = "cut", 30, 3
    try:
        perchd = start_spooling_perchd(extra={"uplink": {"url": proxy.url}})
        fleet = Fleet(perchd.address, [client_ids("cut") for _ in range(3)], count=None, deadline_s=40).start()
        try:
            proxy.wait_until(lambda p: p.cuts >= 3, timeout=30, what="three PUBLISHes cut short")
            fleet.wait_for_accepted(fleet.accepted_count + 100, timeout=15)
        finally:
            fleet.stop()
        accepted, arrivals = _check_delivery(fleet, durable_upstream, perchd)
        durable_upstream.expect_status(
            perchd.status_topic, lambda doc: doc.get("uplink", {}).get("reconnects", 0) >= 3, timeout=20)
        print(f"faults: {proxy.cuts} connections cut mid-PUBLISH; acknowledged {sum(map(len, accepted.values()))}, "
              f"delivered {arrivals.total()} distinct ({arrivals.duplicates} duplicates)")
    finally:
        proxy.close()


RATE, BURST = 50, 50


@pytest.mark.perchd_config({"mqttsn": {"rate_limit": {"rate": RATE, "burst": BURST}}})
def test_a_flooding_sensor_is_held_to_its_rate_and_the_others_keep_their_service(perchd, upstream, client_ids):
    flood_topic = perchd.topic("sensors/temperature")  # predefined id 1: QoS -1 needs no connection
    victims = Fleet(perchd.address, [client_ids("victim") for _ in range(3)], count=30, deadline_s=40)
    flooder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flooder.connect(perchd.address)
    sent = 0
    started = time.monotonic()
    victims.start()
    # Two seconds of as much as one socket can send (bounded in time and count).
    while time.monotonic() - started < 2.0 and sent < 200_000:
        flooder.send(bytes(packets.publish(1, f"flood-{sent}".encode(), qos=-1, tid_type=packets.PREDEFINED)))
        sent += 1
    flood_seconds = time.monotonic() - started
    flooder.close()
    assert victims.join(timeout=40), f"the other sensors did not finish: {victims.summary()}"
    accepted = victims.accepted()
    assert all(len(counters) == 30 for counters in accepted.values()), victims.summary()
    arrivals = victims.arrivals(perchd.mountpoint)
    expect_arrival(upstream, perchd, arrivals, accepted, timeout=20)
    assert arrivals.out_of_order() == {}
    document = upstream.expect_status(perchd.status_topic,
                                      lambda doc: doc.get("mqttsn", {}).get("rate_limited", 0) > 0, timeout=10)
    flooded = sum(1 for message in upstream.seen if message.topic == flood_topic)
    allowed = BURST + RATE * flood_seconds
    assert flooded <= allowed * 1.2 + 5, f"{flooded} flood messages went upstream, the limit allows {allowed:.0f}"
    assert flooded >= BURST // 2, f"only {flooded} flood messages went upstream: the limit is not a rate"
    assert sent > 10 * allowed, f"the flood was too slow to test anything ({sent} in {flood_seconds:.1f}s)"
    print(f"faults: a flood of {sent} datagrams in {flood_seconds:.1f}s; {flooded} went upstream "
          f"(limit {allowed:.0f}); status rate_limited {document['mqttsn']['rate_limited']}; "
          f"3 other sensors: 90 acknowledged, 90 delivered, in order")


def test_a_sensor_that_changes_address_keeps_its_session_and_its_order(perchd, upstream, client_ids):
    client_id = client_ids("nat")
    topic = "nat/readings"
    with Sensor(perchd.address, client_id) as before:
        assert before.connect(clean=False) == sn.ACCEPTED
        tid = before.register(topic)
        for counter in range(1, 11):
            before.publish(tid, f"{counter}".encode(), qos=1)
        # The NAT gives the sensor a new source port: it reconnects from there.
        with Sensor(perchd.address, client_id) as after:
            assert after.connect(clean=False) == sn.ACCEPTED
            before.expect(sn.DISCONNECT, timeout=5)
            # A clean-session-off session keeps its topic ids (MQTT-SN v1.2 §6.2).
            for counter in range(11, 21):
                after.publish(tid, f"{counter}".encode(), qos=1)
            # The old address is no one now: what still comes from it is refused.
            before.send(packets.publish(tid, b"stale", qos=1, mid=999))
            before.expect(sn.DISCONNECT, timeout=5)
            after.disconnect()
    received = []
    upstream.gather(lambda message: received.append(message.payload) if message.topic == perchd.topic(topic) else None,
                    lambda: len(received) >= 20, timeout=15, describe=lambda: f"got {received}")
    assert received == [f"{counter}".encode() for counter in range(1, 21)]
    assert b"stale" not in received
    document = upstream.expect_status(perchd.status_topic, lambda doc: doc.get("mqttsn", {}).get("clients") == 0,
                                      timeout=10)
    assert document["mqttsn"]["invalid"] >= 1
