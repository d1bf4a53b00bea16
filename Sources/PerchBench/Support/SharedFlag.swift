import Synchronization

/// A flag one task raises and a dedicated thread polls (e.g. "stop counting").
final class SharedFlag: Sendable {
    private let state = Atomic<Bool>(false)

    /// Raises the flag.
    func raise() { state.store(true, ordering: .releasing) }

    /// True once raised.
    var isRaised: Bool { state.load(ordering: .acquiring) }
}

/// An integer one thread publishes and others read (progress counters).
final class SharedCounter: Sendable {
    private let state: Atomic<Int>

    init(_ value: Int = 0) { state = Atomic(value) }

    /// Replaces the value.
    func store(_ value: Int) { state.store(value, ordering: .releasing) }

    /// The value last stored.
    var value: Int { state.load(ordering: .acquiring) }
}
