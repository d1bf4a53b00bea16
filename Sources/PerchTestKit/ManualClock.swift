import Synchronization

/// A clock whose time moves only when a test says so, for state machines and
/// services that are generic over `Clock` (STYLE.md habit 5).
///
/// Sleepers wake when `advance(by:)` moves `now` past their deadline; a test can
/// wait, without sleeping, until a given number of sleepers are parked.
public final class ManualClock: Clock, Sendable {
    /// A point on the manual time line: the offset from the clock's creation.
    public struct Instant: InstantProtocol, Sendable {
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>?
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var sleeperWaiters: [(count: Int, dueBy: Instant?, continuation: CheckedContinuation<Void, Never>)] = []

        /// Sleepers parked now, only those due by `dueBy` when it is given.
        func sleeperCount(dueBy: Instant?) -> Int {
            guard let dueBy else { return sleepers.count }
            return sleepers.values.filter { $0.deadline <= dueBy }.count
        }
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    Self.wakeSleeperWaiters(&state)
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.sleepers.removeValue(forKey: id)?.continuation }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let dueIDs = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return dueIDs.compactMap { state.sleepers.removeValue(forKey: $0)?.continuation }
        }
        for continuation in due { continuation.resume() }
    }

    /// How many tasks are parked in `sleep` right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns once at least `count` tasks are parked in `sleep` (with
    /// `dueBy`, only sleepers whose deadline is no later than it count).
    public func waitForSleepers(count: Int, dueBy: Instant? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleeperCount(dueBy: dueBy) >= count { return true }
                state.sleeperWaiters.append((count, dueBy, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private static func wakeSleeperWaiters(_ state: inout State) {
        let snapshot = state
        let isReady = { (waiter: (count: Int, dueBy: Instant?, continuation: CheckedContinuation<Void, Never>)) in
            waiter.count <= snapshot.sleeperCount(dueBy: waiter.dueBy)
        }
        let ready = state.sleeperWaiters.filter(isReady)
        state.sleeperWaiters.removeAll(where: isReady)
        // Resuming inside the lock is safe: a checked continuation resumes
        // asynchronously and never re-enters this lock synchronously.
        for waiter in ready { waiter.continuation.resume() }
    }
}
