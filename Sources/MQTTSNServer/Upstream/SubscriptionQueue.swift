import Logging
import MQTTCodec
import PerchCore

/// Upstream SUBSCRIBE and UNSUBSCRIBE requests, carried out one at a time in the
/// order the gateway asked for them: a subscribe followed by an unsubscribe of
/// the same filter must not overtake each other, which concurrent tasks could do.
struct SubscriptionQueue: Sendable {
    /// One request to the upstream broker.
    enum Request: Sendable {
        case subscribe(String, qos: MQTTQoS)
        case unsubscribe(String)
    }

    private let requests: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation

    init() {
        (requests, continuation) = AsyncStream.makeStream(of: Request.self)
    }

    /// Queues a request; callable from any thread (the event loop).
    func enqueue(_ request: Request) {
        continuation.yield(request)
    }

    /// Ends the queue: `drain` returns once the requests already queued are done.
    func finish() {
        continuation.finish()
    }

    /// Carries the requests out in order until the queue is finished or the task
    /// cancelled. A refusal is logged and the next request goes on: a broker
    /// that refuses one filter should not stop the others. `settled` hears the
    /// outcome of every SUBSCRIBE (the gateway holds the sensors' SUBACKs for it).
    func drain(
        to upstream: any MQTTSNUpstream, logger: Logger,
        settled: @escaping @Sendable (_ filter: String, _ accepted: Bool) -> Void
    ) async {
        for await request in requests {
            do {
                switch request {
                case let .subscribe(filter, qos):
                    let granted: MQTTQoS
                    do {
                        granted = try await upstream.subscribe(filter, qos: qos)
                    } catch is CancellationError {
                        return
                    } catch {
                        settled(filter, false)
                        throw error
                    }
                    settled(filter, true)
                    logger.debug("subscribed upstream", metadata: ["filter": "\(filter)", "granted_qos": "\(granted.rawValue)"])
                case let .unsubscribe(filter):
                    try await upstream.unsubscribe(filter)
                    logger.debug("unsubscribed upstream", metadata: ["filter": "\(filter)"])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("upstream subscription request failed", metadata: ["request": "\(request)", "error": "\(error)"])
            }
        }
    }
}
