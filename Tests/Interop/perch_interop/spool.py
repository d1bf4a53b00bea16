"""What the spool's tests share: taking the broker away and bringing it back
(each step waited for in perchd's log), the status JSON's `spool` section
(SPEC §7), and the checks on what reached the broker."""

import json

from .broker import Mosquitto
from .fleet import Arrivals
from .perchd import Perchd
from .upstream import Upstream

# The status JSON's `spool` field that reports a failing disk (issue 4,
# "Faults"): null while the disk takes writes, the reason otherwise; like
# `uplink.last_error` (PerchCore's SpoolStatus).
SPOOL_ERROR_FIELD = "last_error"

# perchd's log line for a commit that failed (the spool's "cannot use the
# disk"), or one naming the lack of space: SQLITE_FULL, or ENOSPC/EFBIG (a
# file-size limit) as SQLite's I/O error.
DISK_FULL_LOG = r"(?i)spool.*(cannot use the disk|disk.?full|no space|too large|SQLITE_FULL|ENOSPC|EFBIG)"


class Outage:
    """The broker taken away from a running perchd and given back."""

    def __init__(self, perchd: Perchd, broker: Mosquitto):
        self.perchd = perchd
        self.broker = broker

    def begin(self) -> "Outage":
        """Stops the broker (SIGTERM) and waits until perchd has noticed."""
        assert self.perchd.log is not None
        mark = self.perchd.log.count()
        self.broker.stop()
        self.perchd.log.wait_for(r"uplink connection lost", timeout=10, start=mark)
        return self

    def end(self) -> None:
        """Starts the broker again on the same port and waits until perchd is connected to it."""
        assert self.perchd.log is not None
        mark = self.perchd.log.count()
        self.broker.start()
        self.perchd.log.wait_for(r"uplink connected", timeout=15, start=mark)


def spool_status(upstream: Upstream, perchd: Perchd, where, timeout: float = 10.0) -> dict:
    """The `spool` section of the next status document for whose `spool`
    section `where` holds (an absent section never does)."""
    document = upstream.expect_status(
        perchd.status_topic, lambda doc: isinstance(doc.get("spool"), dict) and where(doc["spool"]),
        timeout=timeout)
    return document["spool"]


def abbreviated(gaps: dict[str, list[int]]) -> str:
    """Client → missing counters, short enough for a failure message."""
    return "; ".join(f"{client}: {len(counters)} missing, first {counters[:8]}" for client, counters in gaps.items())


def last_spool_section(upstream: Upstream, perchd: Perchd) -> dict | None:
    """The `spool` section of the last status document seen so far, for failure messages."""
    for message in reversed(upstream.seen):
        if message.topic == perchd.status_topic:
            try:
                return json.loads(message.payload).get("spool")
            except ValueError:
                return None
    return None


def expect_arrival(upstream: Upstream, perchd: Perchd, arrivals: Arrivals, expected: dict[str, list[int]],
                   timeout: float) -> None:
    """Waits (bounded) until every expected message has reached the broker's
    subscriber at least once. `arrivals` starts empty and counts what
    `upstream` has already passed over too (waiting for a status document
    moves the messages before it into `seen`)."""
    assert arrivals.total() == 0 and arrivals.duplicates == 0, "expect_arrival counts from the start"
    for message in upstream.seen:
        arrivals.take(message)
    upstream.gather(
        arrivals.take, lambda: not arrivals.missing(expected), timeout=timeout,
        describe=lambda: (f"not every acknowledged message arrived upstream "
                          f"({arrivals.total()} distinct arrived; the last status said "
                          f"spool={last_spool_section(upstream, perchd)}): {abbreviated(arrivals.missing(expected))}"))


def accounted_bytes(arrivals: Arrivals, payload_size: int) -> int:
    """What the distinct arrived messages count against `spool.max_bytes`
    (topic and payload octets, SpooledMessage.accountedBytes), for fleets
    whose payloads are padded to `payload_size`."""
    per_topic = {client: len(topic.encode()) for topic, client in arrivals.topics.items()}
    return sum((per_topic[client] + payload_size) * len(firsts) for client, firsts in arrivals.first.items())
