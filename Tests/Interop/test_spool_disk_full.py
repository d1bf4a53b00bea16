"""A full disk (SPEC §5, issue 4, integration test 5), simulated with a
file-size limit (RLIMIT_FSIZE through prlimit(1)) on perchd while the broker
is down: perchd keeps running (it must ignore SIGXFSZ, whose default action
kills it), says so in its log and in the status JSON's `spool` section, never
acknowledges a message it could not keep (senders see congestion or no answer),
and delivers every message it did acknowledge once the broker is back."""

from perch_interop.fleet import CONGESTION, Fleet
from perch_interop.spool import DISK_FULL_LOG, SPOOL_ERROR_FIELD, Outage, expect_arrival, spool_status

CLIENTS = 10
PER_CLIENT = 100
PAYLOAD = 256
# Room for perch.db's schema and client records, and a few hundred of the
# messages below (10 × 100 × 256 octets would need about 300 KiB and more).
FILE_SIZE_LIMIT = 160 * 1024


def test_a_full_disk_is_reported_and_acknowledges_nothing_it_cannot_keep(
        outage_broker, durable_upstream, start_spooling_perchd, client_ids):
    perchd = start_spooling_perchd(file_size_limit=FILE_SIZE_LIMIT)
    outage = Outage(perchd, outage_broker).begin()
    # A sensor tries each message three times, half a second apart, and
    # gives up after three messages in a row that were not accepted.
    fleet = Fleet(perchd.address, [client_ids("diskfull") for _ in range(CLIENTS)], count=PER_CLIENT,
                  payload_size=PAYLOAD, max_attempts=3, give_up_after=3, deadline_s=40).start()
    assert fleet.join(timeout=45), f"the sensors did not finish: {fleet.summary()}"
    assert perchd.running, (
        f"perchd died with {perchd.process.returncode} once the file-size limit was reached"
        + (" (SIGXFSZ: perchd must ignore it)" if perchd.process.returncode == -25 else ""))

    records = fleet.records()
    refused = sum(len(record.rejected) + len(record.unanswered) for record in records.values())
    assert refused > 0, (f"every message was acknowledged: the {FILE_SIZE_LIMIT}-octet limit was never "
                         f"reached ({fleet.summary()})")
    for client, record in records.items():
        assert set(record.rejected.values()) <= {CONGESTION}, \
            f"{client}: return codes {set(record.rejected.values())}, expected congestion or none"
    perchd.log.wait_for(DISK_FULL_LOG, timeout=5)

    outage.end()
    section = spool_status(durable_upstream, perchd, lambda spool: bool(spool.get(SPOOL_ERROR_FIELD)))
    assert section[SPOOL_ERROR_FIELD]
    # No false acknowledgement: every message a sensor saw accepted arrives.
    arrivals = fleet.arrivals(perchd.mountpoint)
    expect_arrival(durable_upstream, perchd, arrivals, fleet.accepted(), timeout=20)
    assert perchd.running
    print(f"{arrivals.total()} arrived, {refused} refused or unanswered; status spool={section}; {fleet.summary()}")
