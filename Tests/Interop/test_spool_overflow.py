"""A full spool (SPEC §5, issue 4, integration test 4): with the broker down
and a small `spool.max_bytes`, `overflow: drop_oldest` drops the oldest
messages, counts them in the status JSON's `spool.dropped` and delivers the
newest; `overflow: reject_new` answers PUBACK "rejected: congestion" once the
spool is full, counts that in `spool.rejected`, and delivers every message it
accepted (and none it refused)."""

from scapy.contrib import mqttsn as sn

from perch_interop.fleet import CONGESTION, Fleet
from perch_interop.spool import Outage, accounted_bytes, expect_arrival, spool_status

CLIENTS = 10
MAX_BYTES = 64 * 1024
PAYLOAD = 200
# About twice what fits: 10 × 60 × (200 + topic) octets against 64 KiB.
PER_CLIENT = 60


def _full_spool(overflow: str) -> dict:
    return {"spool": {"max_bytes": "64KiB", "overflow": overflow}}


def test_drop_oldest_drops_and_counts_the_oldest_and_delivers_the_newest(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd(_full_spool("drop_oldest"))
    outage = Outage(perchd, outage_broker).begin()
    fleet = Fleet(perchd.address, [client_ids("dropold") for _ in range(CLIENTS)], count=PER_CLIENT,
                  payload_size=PAYLOAD, deadline_s=30).start()
    # A new message always fits once older ones are dropped: every one is accepted.
    fleet.wait_for_accepted(CLIENTS * PER_CLIENT, timeout=30)
    assert fleet.join(timeout=5)

    outage.end()
    arrivals = fleet.arrivals(perchd.mountpoint)
    newest = {client: [PER_CLIENT - 1] for client in fleet.accepted()}
    expect_arrival(durable_upstream, perchd, arrivals, newest, timeout=20)

    arrived = arrivals.total()
    dropped = CLIENTS * PER_CLIENT - arrived
    assert dropped > 0, f"all {arrived} arrived: the spool never filled"
    # The oldest went: each sender's survivors are the tail of what it sent.
    for client, firsts in arrivals.first.items():
        assert firsts == list(range(PER_CLIENT - len(firsts), PER_CLIENT)), \
            f"{client}: arrived {firsts}, expected a run ending at {PER_CLIENT - 1}"
    assert accounted_bytes(arrivals, PAYLOAD) <= MAX_BYTES, "more survived than max_bytes holds"
    # Counted (SPEC §5, §7); status documents dropped in the outage may add to it.
    section = spool_status(durable_upstream, perchd, lambda spool: spool.get("dropped", 0) >= dropped)
    assert section["dropped"] >= dropped
    print(f"{arrived} arrived, {dropped} dropped; status spool={section}")


def test_reject_new_answers_congestion_once_full_and_delivers_what_it_accepted(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd(_full_spool("reject_new"))
    outage = Outage(perchd, outage_broker).begin()
    # Each sensor goes on until it has been refused five times in a row.
    fleet = Fleet(perchd.address, [client_ids("rejnew") for _ in range(CLIENTS)], count=4 * PER_CLIENT,
                  payload_size=PAYLOAD, give_up_after=5, deadline_s=30).start()
    assert fleet.join(timeout=35), f"the sensors were not refused in time: {fleet.summary()}"

    records = fleet.records()
    rejected = sum(len(record.rejected) for record in records.values())
    for client, record in records.items():
        assert record.finished, f"{client} ran out of time: {fleet.summary()}"
        assert record.unanswered == [], f"{client}: no answer at all for {record.unanswered[:8]}"
        assert set(record.rejected.values()) <= {CONGESTION}, \
            f"{client}: return codes {set(record.rejected.values())}, expected {CONGESTION:#04x} (congestion)"
        # Nothing leaves a spool while the broker is down: once full, it stays full.
        assert record.accepted == list(range(len(record.accepted))), f"{client}: accepted {record.accepted}"
    assert rejected >= CLIENTS * 5

    outage.end()
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(durable_upstream, perchd, arrivals, fleet.accepted(), timeout=20)
    assert accounted_bytes(arrivals, PAYLOAD) <= MAX_BYTES, "the spool accepted more than max_bytes"
    # Counted (SPEC §5): refusals have their own figure, `spool.rejected`, since
    # their senders were told and may send them again (not lost, as `dropped` ones are).
    section = spool_status(durable_upstream, perchd, lambda spool: spool.get("rejected", 0) >= rejected)
    assert section["rejected"] >= rejected
    refused_but_sent = {client: [c for c in record.rejected if arrivals.has(client, c)]
                        for client, record in records.items()}
    assert not any(refused_but_sent.values()), f"refused with congestion, yet delivered: {refused_but_sent}"
    print(f"{arrivals.total()} arrived, {rejected} refused; status spool={section}")
