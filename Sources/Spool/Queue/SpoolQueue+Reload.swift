import NIOCore

/// A new `spool` section on `systemctl reload` (SPEC §8).
extension SpoolQueue {
    /// Takes `policy` from now on. Messages already held keep their place; a
    /// `max_bytes` below what is held drops the oldest waiting ones at once
    /// under `drop_oldest` (counted as any drop), and refuses new ones until
    /// there is room under `reject_new`. A `max_age` or `buffer_qos0` change
    /// applies to every message from its next step (drain, outage), and a
    /// `commit_interval` change to the next commit deadline.
    func apply(_ policy: SpoolPolicy, now: NIODeadline, _ actions: inout [SpoolAction<Sender>]) {
        self.policy = policy
        if policy.overflow == .dropOldest, bytes > policy.maximumBytes {
            _ = makeRoom(for: 0, now: now, &actions)
        }
    }
}
