import NIOCore

/// One MQTT-SN v1.2 message: exactly one UDP datagram (MQTT-SN v1.2 §5).
///
/// Decode with ``decode(_:)``, encode with ``encode(into:)``. The codec checks
/// the format; what a message means in a session (a QoS -1 PUBLISH with a normal
/// topic id, a client id of 24 characters) is for the session to judge.
public enum MQTTSNPacket: Sendable, Hashable {
    /// ADVERTISE (§5.4.1).
    case advertise(MQTTSNAdvertise)
    /// SEARCHGW (§5.4.2) with its broadcast radius.
    case searchGateway(radius: UInt8)
    /// GWINFO (§5.4.3).
    case gatewayInfo(MQTTSNGatewayInfo)
    /// CONNECT (§5.4.4).
    case connect(MQTTSNConnect)
    /// CONNACK (§5.4.5).
    case connAck(MQTTSNReturnCode)
    /// WILLTOPICREQ (§5.4.6).
    case willTopicRequest
    /// WILLTOPIC (§5.4.7); `nil` is the empty WILLTOPIC that deletes the will.
    case willTopic(MQTTSNWillTopic?)
    /// WILLMSGREQ (§5.4.8).
    case willMessageRequest
    /// WILLMSG (§5.4.9) with the will message.
    case willMessage(ByteBuffer)
    /// REGISTER (§5.4.10).
    case register(MQTTSNRegister)
    /// REGACK (§5.4.11).
    case regAck(MQTTSNTopicAck)
    /// PUBLISH (§5.4.12).
    case publish(MQTTSNPublish)
    /// PUBACK (§5.4.13).
    case pubAck(MQTTSNTopicAck)
    /// PUBCOMP (§5.4.14) with its MsgId.
    case pubComp(messageID: UInt16)
    /// PUBREC (§5.4.14) with its MsgId.
    case pubRec(messageID: UInt16)
    /// PUBREL (§5.4.14) with its MsgId.
    case pubRel(messageID: UInt16)
    /// SUBSCRIBE (§5.4.15).
    case subscribe(MQTTSNSubscribe)
    /// SUBACK (§5.4.16).
    case subAck(MQTTSNSubAck)
    /// UNSUBSCRIBE (§5.4.17).
    case unsubscribe(MQTTSNUnsubscribe)
    /// UNSUBACK (§5.4.18) with its MsgId.
    case unsubAck(messageID: UInt16)
    /// PINGREQ (§5.4.19); a client id only from a sleeping client waking up (§6.14).
    /// An empty client id is sent as none, so it decodes as `nil`.
    case pingRequest(clientID: String?)
    /// PINGRESP (§5.4.20).
    case pingResponse
    /// DISCONNECT (§5.4.21); a duration only from a client going to sleep (§6.14).
    case disconnect(durationSeconds: UInt16?)
    /// WILLTOPICUPD (§5.4.22); `nil` is the empty form that deletes the will.
    case willTopicUpdate(MQTTSNWillTopic?)
    /// WILLMSGUPD (§5.4.23) with the new will message.
    case willMessageUpdate(ByteBuffer)
    /// WILLTOPICRESP (§5.4.24).
    case willTopicResponse(MQTTSNReturnCode)
    /// WILLMSGRESP (§5.4.25).
    case willMessageResponse(MQTTSNReturnCode)
    /// A message relayed by a forwarder (§5.5).
    indirect case encapsulated(MQTTSNEncapsulation)

    /// The MsgType this message is sent with.
    public var messageType: MQTTSNMessageType {
        switch self {
        case .advertise: return .advertise
        case .searchGateway: return .searchGateway
        case .gatewayInfo: return .gatewayInfo
        case .connect: return .connect
        case .connAck: return .connAck
        case .willTopicRequest: return .willTopicRequest
        case .willTopic: return .willTopic
        case .willMessageRequest: return .willMessageRequest
        case .willMessage: return .willMessage
        case .register: return .register
        case .regAck: return .regAck
        case .publish: return .publish
        case .pubAck: return .pubAck
        case .pubComp: return .pubComp
        case .pubRec: return .pubRec
        case .pubRel: return .pubRel
        case .subscribe: return .subscribe
        case .subAck: return .subAck
        case .unsubscribe: return .unsubscribe
        case .unsubAck: return .unsubAck
        case .pingRequest: return .pingRequest
        case .pingResponse: return .pingResponse
        case .disconnect: return .disconnect
        case .willTopicUpdate: return .willTopicUpdate
        case .willMessageUpdate: return .willMessageUpdate
        case .willTopicResponse: return .willTopicResponse
        case .willMessageResponse: return .willMessageResponse
        case .encapsulated: return .encapsulated
        }
    }
}
