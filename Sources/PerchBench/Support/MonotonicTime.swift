import Foundation

/// CLOCK_MONOTONIC in nanoseconds: one time base for the load generator's send
/// stamps and the counter's arrival stamps (both in this process), read with
/// one vDSO call and no allocation.
enum MonotonicTime {
    /// Nanoseconds since an arbitrary, fixed point (boot).
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Sleeps the calling (dedicated) thread for about `nanoseconds`; used by
    /// the pacer to wait for the next message's due time, not to synchronise.
    static func pause(nanoseconds: UInt64) {
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        nanosleep(&request, nil)
    }
}
