import MQTTSNCodec
import NIOCore
import Synchronization

/// Datagrams a test client received, decoded, to be awaited one at a time with a
/// bounded timeout (no sleeping as synchronisation).
public final class PacketInbox: Sendable {
    /// Nothing arrived in time.
    public struct TimedOut: Error, CustomStringConvertible {
        /// How long the caller waited.
        public let timeout: Duration
        /// In words.
        public var description: String { "no MQTT-SN datagram within \(timeout)" }
    }

    private struct State {
        var packets: [MQTTSNPacket] = []
        var waiter: (id: UInt64, continuation: CheckedContinuation<MQTTSNPacket?, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// An empty inbox.
    public init() {}

    /// Called by the channel handler for each datagram.
    public func push(_ datagram: ByteBuffer) {
        // A datagram the codec refuses is a failure of the server under test.
        let packet = (try? MQTTSNPacket.decode(datagram)) ?? .willMessage(ByteBuffer(string: "UNDECODABLE"))
        let waiter: CheckedContinuation<MQTTSNPacket?, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.packets.append(packet)
            return nil
        }
        waiter?.resume(returning: packet)
    }

    /// The next datagram, or `TimedOut`.
    public func next(timeout: Duration = .seconds(5)) async throws -> MQTTSNPacket {
        let packet: MQTTSNPacket? = await withCheckedContinuation { continuation in
            let (ready, id): (MQTTSNPacket?, UInt64?) = state.withLock { state in
                if !state.packets.isEmpty { return (state.packets.removeFirst(), nil) }
                state.nextID += 1
                state.waiter = (state.nextID, continuation)
                return (nil, state.nextID)
            }
            if let ready {
                continuation.resume(returning: ready)
                return
            }
            guard let id else { return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired: CheckedContinuation<MQTTSNPacket?, Never>? = self.state.withLock { state in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: nil)
            }
        }
        guard let packet else { throw TimedOut(timeout: timeout) }
        return packet
    }
}
