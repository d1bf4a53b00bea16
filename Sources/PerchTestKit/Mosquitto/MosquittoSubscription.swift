import Synchronization

/// A `mosquitto_sub` running in the background, so a test can subscribe before it triggers an action.
///
/// `MosquittoFixture.startSubscription` returns only after the broker acknowledged
/// the subscription (SUBACK), so nothing published afterwards can be missed.
/// Each `next` call returns the following message in arrival order.
public final class MosquittoSubscription: Sendable {
    /// The topic filter subscribed to.
    public let topic: String

    private let process: ChildProcess
    /// Index of the first message `next` has not returned yet.
    private let cursor = Mutex(0)

    init(topic: String, process: ChildProcess) {
        self.topic = topic
        self.process = process
    }

    /// Every message received so far.
    public var messages: [ReceivedMessage] { Self.messages(in: process.lines) }

    /// The client's output so far (debug lines included), for diagnosing a failed wait.
    public var outputText: String { process.outputText }

    /// Waits for the next message not yet returned by `next`.
    public func next(timeout: Duration) async throws -> ReceivedMessage {
        try await next(timeout: timeout) { _ in true }
    }

    /// Waits for the next message that satisfies `predicate`, consuming the ones before it that do not.
    public func next(
        timeout: Duration,
        where predicate: @escaping @Sendable (ReceivedMessage) -> Bool
    ) async throws -> ReceivedMessage {
        let start = cursor.withLock { $0 }
        let (index, message) = try await process.waitForOutput(
            describedAs: "message #\(start + 1) on \(topic)", timeout: timeout
        ) { lines -> (Int, ReceivedMessage)? in
            let messages = Self.messages(in: lines)
            guard start < messages.count else { return nil }
            return messages.indices[start...].lazy.map { ($0, messages[$0]) }.first { predicate($0.1) }
        }
        cursor.withLock { $0 = max($0, index + 1) }
        return message
    }

    /// Waits until `count` messages have arrived in total and returns them all (independent of `next`).
    public func waitForMessages(count: Int, timeout: Duration) async throws -> [ReceivedMessage] {
        try await process.waitForOutput(describedAs: "\(count) messages on \(topic)", timeout: timeout) { lines in
            let messages = Self.messages(in: lines)
            return messages.count >= count ? messages : nil
        }
    }

    /// Ends the client.
    public func cancel() async {
        _ = try? await process.stop(gracePeriod: .seconds(5))
    }

    private static func messages(in lines: [OutputLine]) -> [ReceivedMessage] {
        lines.compactMap { line in
            guard line.stream == .standardOutput else { return nil }
            return try? ReceivedMessage(subscriberLine: line.text)
        }
    }
}
