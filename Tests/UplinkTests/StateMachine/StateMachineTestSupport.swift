import MQTTCodec
import NIOCore
import PerchCore

@testable import Uplink

/// A fixed starting instant; tests move time by adding to it.
let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

func makeMachine(
    version: MQTTProtocolVersion = .v5,
    window: Int = 4,
    cleanStart: Bool = false,
    keepAliveSeconds: UInt16 = 10,
    connectTimeout: TimeAmount = .seconds(5)
) -> UplinkStateMachine {
    UplinkStateMachine(
        settings: .init(
            connect: ConnectPacket(version: version, clientID: "test", cleanStart: cleanStart, keepAliveSeconds: keepAliveSeconds),
            inFlightWindow: window,
            connectTimeout: connectTimeout,
            endpoint: "127.0.0.1:1883"
        )
    )
}

func message(_ topic: String, qos: MQTTQoS = .atLeastOnce) -> PublishPacket {
    PublishPacket(topic: topic, payload: ByteBuffer(string: topic), qos: qos)
}

func request(_ number: UInt64) -> RequestID {
    RequestID(rawValue: number)
}

extension UplinkStateMachine {
    /// Opens a connection and answers it with CONNACK.
    @discardableResult
    mutating func connect(
        sessionPresent: Bool = false,
        receiveMaximum: UInt16? = nil,
        maximumPacketSize: UInt32? = nil,
        serverKeepAlive: UInt16? = nil,
        now: NIODeadline = start
    ) -> [UplinkAction] {
        _ = connectionOpened(now: now)
        var properties = MQTTProperties()
        properties.receiveMaximum = receiveMaximum
        properties.maximumPacketSize = maximumPacketSize
        properties.serverKeepAlive = serverKeepAlive
        return received(.connack(ConnAckPacket(sessionPresent: sessionPresent, properties: properties)), now: now)
    }

    /// Publishes `packet` as request `number` with a nominal size.
    mutating func publish(_ packet: PublishPacket, _ number: UInt64, size: Int = 20, now: NIODeadline = start) -> [UplinkAction] {
        publish(packet, encodedSize: size, request: .request(request(number)), now: now)
    }
}

extension Array where Element == UplinkAction {
    /// The packets the actions send, in order.
    var sent: [MQTTPacket] {
        compactMap { if case .send(let packet, _) = $0 { return packet } else { return nil } }
    }

    /// The PUBLISH packets the actions send.
    var published: [PublishPacket] {
        sent.compactMap { if case .publish(let publish) = $0 { return publish } else { return nil } }
    }

    /// The requests the actions resolve, with how.
    var completions: [RequestID: RequestOutcome] {
        var result: [RequestID: RequestOutcome] = [:]
        for action in self {
            if case .complete(.request(let request), let outcome) = action { result[request] = outcome }
        }
        return result
    }

    var closeReason: UplinkError?? {
        for action in self {
            if case .close(let reason) = action { return .some(reason) }
        }
        return nil
    }
}
