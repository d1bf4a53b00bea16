import PerchConfig
import Spool

extension PerchConfiguration {
    /// The spool's policy from the `spool:` section (SPEC §1, §5); the internal
    /// sizes keep their defaults, bounded by `max_bytes` where it is smaller.
    func makeSpoolPolicy() -> SpoolPolicy {
        let maximumBytes = Int(clamping: spool.maxBytes.bytes)
        var policy = SpoolPolicy(
            maximumBytes: maximumBytes,
            maximumAge: spool.maxAge,
            buffersQoS0: spool.bufferQoS0,
            overflow: spool.overflow == .rejectNew ? .rejectNew : .dropOldest,
            commitInterval: spool.commitInterval
        )
        policy.residentBytes = min(policy.residentBytes, maximumBytes)
        policy.uncommittedBytesLimit = min(policy.uncommittedBytesLimit, maximumBytes)
        return policy
    }
}
