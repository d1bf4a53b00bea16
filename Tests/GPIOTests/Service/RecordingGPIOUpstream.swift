import GPIO
import PerchCore
import PerchTestKit
import Synchronization

/// Keeps what the service publishes and subscribes, in order, and lets a test
/// wait for a message without sleeping.
final class RecordingGPIOUpstream: GPIOUpstream {
    private let published = Mutex<[Message]>([])
    private let subscribed = Mutex<[String]>([])
    private let stream: AsyncStream<Message>
    private let continuation: AsyncStream<Message>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Message.self)
    }

    var messages: [Message] { published.withLock { $0 } }
    var filters: [String] { subscribed.withLock { $0 } }

    func publish(_ message: Message) {
        published.withLock { $0.append(message) }
        continuation.yield(message)
    }

    func subscribe(_ filter: String) async throws {
        subscribed.withLock { $0.append(filter) }
    }

    /// The next message published on `topic`, skipping others, within 10 s.
    func next(on topic: String) async throws -> String {
        let stream = stream
        return try await withTimeout(.seconds(10), waitingFor: "a message on \(topic)") {
            for await message in stream where message.topic == topic {
                return String(buffer: message.payload)
            }
            throw TimedOut(what: "\(topic) (stream ended)")
        }
    }
}
