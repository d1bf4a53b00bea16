"""kill -9 under steady online load loses no acknowledged message (SPEC §5,
issue 4, integration test 3): perchd is killed with SIGKILL ten times in a
row while sensors publish, and started again each time on the same state
directory and port; every message a sensor saw acknowledged reaches the broker."""

from perch_interop.fleet import Fleet
from perch_interop.spool import expect_arrival

CLIENTS = 10
KILLS = 10
# Acknowledgements between two kills: enough that messages are in every state
# (in flight upstream, waiting for a commit, committed, being deleted).
BETWEEN_KILLS = 100


def test_kill_9_ten_times_under_load_loses_no_acknowledged_message(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd()
    fleet = Fleet(perchd.address, [client_ids("crash") for _ in range(CLIENTS)], count=None,
                  deadline_s=50).start()
    try:
        for _ in range(KILLS):
            fleet.wait_for_accepted(fleet.accepted_count + BETWEEN_KILLS, timeout=15)
            perchd.crash_and_restart()
        fleet.wait_for_accepted(fleet.accepted_count + BETWEEN_KILLS, timeout=15)
    finally:
        fleet.stop()

    accepted = fleet.accepted()
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(durable_upstream, perchd, arrivals, accepted, timeout=20)
    assert arrivals.out_of_order() == {}, "first arrivals out of order per client"
    assert sum(len(record.accepted) for record in fleet.records().values()) >= (KILLS + 1) * BETWEEN_KILLS
    print(f"{arrivals.total()} distinct arrived, {arrivals.duplicates} duplicates; {fleet.summary()}")
