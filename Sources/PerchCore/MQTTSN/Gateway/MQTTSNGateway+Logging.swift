import Logging
import MQTTSNCodec

/// The `debug` lines that say why a sensor was refused or its message dropped:
/// a refusing SUBACK, PUBACK, REGACK, CONNACK, WILLTOPICRESP or WILLMSGRESP, a
/// DISCONNECT to an address with no session, a dropped QoS -1 PUBLISH, a
/// downlink retransmission. One line per event, within each peer's
/// ``PeerLogBudget``; above `debug` they cost one comparison.
extension MQTTSNGateway {
    /// Whether a `debug` line about `peer` may be logged now: `nil` when the
    /// level is above `debug` or the peer's budget is spent; else what ends
    /// the line (how many of its lines were left out before it).
    ///
    /// Callers build the line only when this is not `nil`:
    /// `if let tail = refusalLine(about: peer, now: now) { logger.debug("…\(tail)") }`.
    mutating func refusalLine(about peer: Peer, now: Instant) -> String? {
        guard logger.logLevel <= .debug, let suppressed = refusalLog.admit(peer, now: now) else { return nil }
        return suppressed == 0 ? "" : " (\(suppressed) earlier line\(suppressed == 1 ? "" : "s") about \(peer) not logged)"
    }

    /// Sends `packet` to `peer`, counted; when it refuses something (a return
    /// code other than accepted, §5.3.10), one `debug` line says so.
    mutating func send(_ packet: MQTTSNPacket, to peer: Peer, now: Instant, _ actions: inout [MQTTSNGatewayAction<Peer>]) {
        send(packet, to: peer, &actions)
        guard logger.logLevel <= .debug, let refusal = packet.refusal, let tail = refusalLine(about: peer, now: now) else { return }
        logger.debug("MQTT-SN: \(refusal) to \(describe(peer))\(tail)")
    }

    /// `127.0.0.1:5000 (client node-1)`, or the address alone when no live
    /// session is there.
    func describe(_ peer: Peer) -> String {
        guard let index = indexByPeer[peer] else { return "\(peer)" }
        return "\(peer) (client \(sessions[index].clientID))"
    }
}

extension MQTTSNPacket {
    /// For a packet that refuses something, `PUBACK "rejected: invalid topic
    /// ID" (MsgId 5, TopicId 0x0007)`; `nil` for anything else.
    var refusal: String? {
        switch self {
        case .connAck(let code) where !code.isAccepted:
            return "CONNACK \"\(code)\""
        case .willTopicResponse(let code) where !code.isAccepted:
            return "WILLTOPICRESP \"\(code)\""
        case .willMessageResponse(let code) where !code.isAccepted:
            return "WILLMSGRESP \"\(code)\""
        case .regAck(let ack) where !ack.returnCode.isAccepted:
            return "REGACK \"\(ack.returnCode)\" (MsgId \(ack.messageID))"
        case .pubAck(let ack) where !ack.returnCode.isAccepted:
            return "PUBACK \"\(ack.returnCode)\" (MsgId \(ack.messageID), TopicId \(MQTTSNTopicText.hex(ack.topicID)))"
        case .subAck(let ack) where !ack.returnCode.isAccepted:
            return "SUBACK \"\(ack.returnCode)\" (MsgId \(ack.messageID))"
        default:
            return nil
        }
    }
}

/// Spec names and hexadecimal ids for log lines.
enum MQTTSNTopicText {
    /// `0x002A`.
    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `predefined id 0x0007`, `normal id 0x0001`, `short name "ab"`.
    static func describe(_ topic: MQTTSNTopic) -> String {
        switch topic {
        case .normal(let id): return "normal id \(hex(id))"
        case .predefined(let id): return "predefined id \(hex(id))"
        case .shortName(let name): return "short name \(name.topicName.map { "\"\($0)\"" } ?? hex(name.rawValue))"
        }
    }

    /// The message type as the specification names it (§5.2.2, Table 3).
    static func name(_ type: MQTTSNMessageType) -> String {
        switch type {
        case .advertise: return "ADVERTISE"
        case .searchGateway: return "SEARCHGW"
        case .gatewayInfo: return "GWINFO"
        case .connect: return "CONNECT"
        case .connAck: return "CONNACK"
        case .willTopicRequest: return "WILLTOPICREQ"
        case .willTopic: return "WILLTOPIC"
        case .willMessageRequest: return "WILLMSGREQ"
        case .willMessage: return "WILLMSG"
        case .register: return "REGISTER"
        case .regAck: return "REGACK"
        case .publish: return "PUBLISH"
        case .pubAck: return "PUBACK"
        case .pubComp: return "PUBCOMP"
        case .pubRec: return "PUBREC"
        case .pubRel: return "PUBREL"
        case .subscribe: return "SUBSCRIBE"
        case .subAck: return "SUBACK"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .unsubAck: return "UNSUBACK"
        case .pingRequest: return "PINGREQ"
        case .pingResponse: return "PINGRESP"
        case .disconnect: return "DISCONNECT"
        case .willTopicUpdate: return "WILLTOPICUPD"
        case .willTopicResponse: return "WILLTOPICRESP"
        case .willMessageUpdate: return "WILLMSGUPD"
        case .willMessageResponse: return "WILLMSGRESP"
        case .encapsulated: return "Encapsulated message"
        }
    }
}
