/// The MsgType octet of an MQTT-SN message (MQTT-SN v1.2 §5.2.2, Table 3).
///
/// Values the table marks as reserved (0x03, 0x11, 0x19, 0x1E…0xFD, 0xFF) have no case:
/// a datagram carrying one is refused with `MQTTSNCodecError.unknownMessageType`.
public enum MQTTSNMessageType: UInt8, Sendable, Hashable, CaseIterable {
    /// 0x00 ADVERTISE (§5.4.1).
    case advertise = 0x00
    /// 0x01 SEARCHGW (§5.4.2).
    case searchGateway = 0x01
    /// 0x02 GWINFO (§5.4.3).
    case gatewayInfo = 0x02
    /// 0x04 CONNECT (§5.4.4).
    case connect = 0x04
    /// 0x05 CONNACK (§5.4.5).
    case connAck = 0x05
    /// 0x06 WILLTOPICREQ (§5.4.6).
    case willTopicRequest = 0x06
    /// 0x07 WILLTOPIC (§5.4.7).
    case willTopic = 0x07
    /// 0x08 WILLMSGREQ (§5.4.8).
    case willMessageRequest = 0x08
    /// 0x09 WILLMSG (§5.4.9).
    case willMessage = 0x09
    /// 0x0A REGISTER (§5.4.10).
    case register = 0x0A
    /// 0x0B REGACK (§5.4.11).
    case regAck = 0x0B
    /// 0x0C PUBLISH (§5.4.12).
    case publish = 0x0C
    /// 0x0D PUBACK (§5.4.13).
    case pubAck = 0x0D
    /// 0x0E PUBCOMP (§5.4.14).
    case pubComp = 0x0E
    /// 0x0F PUBREC (§5.4.14).
    case pubRec = 0x0F
    /// 0x10 PUBREL (§5.4.14).
    case pubRel = 0x10
    /// 0x12 SUBSCRIBE (§5.4.15).
    case subscribe = 0x12
    /// 0x13 SUBACK (§5.4.16).
    case subAck = 0x13
    /// 0x14 UNSUBSCRIBE (§5.4.17).
    case unsubscribe = 0x14
    /// 0x15 UNSUBACK (§5.4.18).
    case unsubAck = 0x15
    /// 0x16 PINGREQ (§5.4.19).
    case pingRequest = 0x16
    /// 0x17 PINGRESP (§5.4.20).
    case pingResponse = 0x17
    /// 0x18 DISCONNECT (§5.4.21).
    case disconnect = 0x18
    /// 0x1A WILLTOPICUPD (§5.4.22).
    case willTopicUpdate = 0x1A
    /// 0x1B WILLTOPICRESP (§5.4.24).
    case willTopicResponse = 0x1B
    /// 0x1C WILLMSGUPD (§5.4.23).
    case willMessageUpdate = 0x1C
    /// 0x1D WILLMSGRESP (§5.4.25).
    case willMessageResponse = 0x1D
    /// 0xFE Encapsulated message of a forwarder (§5.5).
    case encapsulated = 0xFE
}
