"""Store-and-forward across a broker outage (SPEC §5, issue 4, integration
tests 1 and 2): QoS 1 messages from MQTT-SN sensors are acknowledged once the
spool has committed them, while the broker is down, and every one of them
reaches the broker when it is back, in each sender's order — also when perchd
is killed with SIGKILL during the outage."""

from perch_interop.fleet import Fleet
from perch_interop.spool import Outage, expect_arrival, spool_status

CLIENTS = 10
MESSAGES = 1000


def _fleet(perchd, client_ids, stem: str) -> Fleet:
    return Fleet(perchd.address, [client_ids(stem) for _ in range(CLIENTS)], count=MESSAGES // CLIENTS,
                 deadline_s=40)


def _check_delivery(durable_upstream, perchd, fleet: Fleet) -> None:
    accepted = fleet.accepted()
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(durable_upstream, perchd, arrivals, accepted, timeout=30)
    # SPEC §5: order per (client, topic) survives outages and restarts; with
    # duplicates allowed, it is the order of first arrivals that counts.
    assert arrivals.out_of_order() == {}, "first arrivals out of order per client"
    # Drained: the status shows an empty spool again (SPEC §7).
    spool_status(durable_upstream, perchd, lambda spool: spool.get("messages") == 0 and spool.get("bytes") == 0)
    print(f"{arrivals.total()} distinct arrived, {arrivals.duplicates} duplicates; {fleet.summary()}")


def test_messages_acknowledged_during_an_outage_all_arrive_in_order(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd()
    outage = Outage(perchd, outage_broker).begin()

    fleet = _fleet(perchd, client_ids, "outage").start()
    # Every PUBACK comes while the broker is still down: the spool's commit
    # acknowledges them (SPEC §5), not the broker.
    fleet.wait_for_accepted(MESSAGES, timeout=35)
    assert fleet.join(timeout=5)
    assert not outage_broker.running
    assert sum(map(len, fleet.accepted().values())) == MESSAGES, fleet.summary()

    outage.end()
    _check_delivery(durable_upstream, perchd, fleet)


def test_acknowledged_messages_survive_a_kill_9_during_the_outage(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd()
    Outage(perchd, outage_broker).begin()

    fleet = _fleet(perchd, client_ids, "killed").start()
    fleet.wait_for_accepted(MESSAGES * 3 // 10, timeout=20)
    perchd.crash_and_restart(wait_for_uplink=False)
    acknowledged_before_the_kill = fleet.accepted_count
    # The sensors ride it out (a DISCONNECT from the new process: connect,
    # register, resend) and the rest is acknowledged, the broker still down.
    fleet.wait_for_accepted(MESSAGES, timeout=30)
    assert fleet.join(timeout=5)
    assert not outage_broker.running
    assert acknowledged_before_the_kill < MESSAGES, "the kill came after the last acknowledgement"

    Outage(perchd, outage_broker).end()
    _check_delivery(durable_upstream, perchd, fleet)
