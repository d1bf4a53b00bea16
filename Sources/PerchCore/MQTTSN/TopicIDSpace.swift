/// The topic id space of MQTT-SN v1.2 §5.3.11: two octets, of which 0x0000 and
/// 0xFFFF are reserved and never name a topic.
enum TopicIDSpace {
    /// The lowest id that may be assigned.
    static let first: UInt16 = 0x0001
    /// The highest id that may be assigned.
    static let last: UInt16 = 0xFFFE
    /// How many ids may be assigned: 65,534.
    static let assignableCount = Int(last - first) + 1

    /// True for 0x0000 and 0xFFFF (§5.3.11).
    static func isReserved(_ id: UInt16) -> Bool {
        id == 0x0000 || id == 0xFFFF
    }

    /// The next assignable id after `id`, wrapping from 0xFFFE to 0x0001 so the
    /// reserved ids are stepped over.
    static func successor(of id: UInt16) -> UInt16 {
        id >= last || id < first ? first : id + 1
    }
}
