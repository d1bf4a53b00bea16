/// How many `debug` lines about refusals and drops each peer may cause (an
/// MQTT-SN client, a CoAP client's address): at
/// most `linesPerWindow` in each `window`, the rest counted and the count
/// carried by the peer's next line. A sensor stuck in a loop of refused
/// PUBLISHes then costs a few lines a window, not one per datagram.
///
/// Bounded in the number of peers it tracks: when full, peers whose window
/// has passed are forgotten (which loses nothing, they start afresh), and if
/// a flood of forged addresses leaves nothing to forget, everything is.
public struct PeerLogBudget<Key: Hashable & Sendable, Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    private struct Window: Sendable {
        var start: Instant
        var lines: Int
        var suppressed: Int
    }

    /// Lines a peer may cause per window.
    public let linesPerWindow: Int
    /// How long a window lasts.
    public let window: Duration
    /// Peers tracked at most.
    public let capacity: Int
    private var windows: [Key: Window] = [:]

    public init(linesPerWindow: Int = 5, window: Duration = .seconds(10), capacity: Int = 1_024) {
        self.linesPerWindow = max(linesPerWindow, 1)
        self.window = window
        self.capacity = max(capacity, 1)
    }

    /// Peers tracked now.
    public var count: Int { windows.count }

    /// Whether `key` may have a line at `now`: `nil` when not (the line is
    /// counted as suppressed), else how many of its lines were suppressed
    /// since its last one.
    public mutating func admit(_ key: Key, now: Instant) -> Int? {
        var current: Window
        if let known = windows[key], known.start.duration(to: now) < window {
            current = known
        } else {
            if windows[key] == nil, windows.count >= capacity { makeRoom(now: now) }
            current = Window(start: now, lines: 0, suppressed: windows[key]?.suppressed ?? 0)
        }
        guard current.lines < linesPerWindow else {
            current.suppressed += 1
            windows[key] = current
            return nil
        }
        let suppressed = current.suppressed
        current.lines += 1
        current.suppressed = 0
        windows[key] = current
        return suppressed
    }

    private mutating func makeRoom(now: Instant) {
        let window = self.window
        windows = windows.filter { $0.value.start.duration(to: now) < window }
        if windows.count >= capacity { windows.removeAll(keepingCapacity: true) }
    }
}
