// Topic names and filters (MQTT 3.1.1 §4.7, 5.0 §4.7) and the matcher.
//
// The input is a filter and a name separated by the first NUL byte. Checked:
// validation never traps; a valid name matches itself as a filter; `#`
// matches every valid name not starting with `$` (§4.7.2); a filter that
// matches a name agrees with a slow, obviously correct matcher.

import PerchCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTopicFilter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let filterText = String(decoding: bytes[..<split], as: UTF8.self)
    let nameText = String(decoding: bytes[min(split + 1, bytes.endIndex)...], as: UTF8.self)

    let name = try? TopicName(nameText)
    guard let filter = try? TopicFilter(filterText) else { return 0 }
    let fast = filter.matches(nameText)
    if let name {
        // Topics are UTF-8 byte strings (§1.5.4): "$" and "/" are bytes, whatever
        // combining mark follows them (Swift's String.hasPrefix would see one grapheme).
        let nameBytes = Array(nameText.utf8)
        precondition(fast == filter.matches(name), "the String and TopicName matchers disagree")
        precondition(fast == referenceMatch(filter: Array(filterText.utf8), name: nameBytes), "\(filterText) vs \(nameText): matcher says \(fast)")
        if let own = try? TopicFilter(nameText) {
            precondition(own.matches(name), "\(nameText) does not match itself")
        }
        if let all = try? TopicFilter("#") {
            precondition(all.matches(name) == (nameBytes.first != UInt8(ascii: "$")), "# and \(nameText)")
        }
    }
    return 0
}

/// Level by level, as §4.7 words it, on bytes: `+` is one level, `#` the
/// rest (the parent level included), and a filter starting with a wildcard
/// does not match a name starting with `$` (§4.7.2).
private func referenceMatch(filter: [UInt8], name: [UInt8]) -> Bool {
    let dollar = UInt8(ascii: "$"), plus = UInt8(ascii: "+"), hash = UInt8(ascii: "#"), slash = UInt8(ascii: "/")
    if name.first == dollar, filter.first == plus || filter.first == hash { return false }
    let filterLevels = filter.split(separator: slash, omittingEmptySubsequences: false)
    let nameLevels = name.split(separator: slash, omittingEmptySubsequences: false)
    var index = 0
    while index < filterLevels.count {
        if filterLevels[index].elementsEqual([hash]) { return true }
        guard index < nameLevels.count else { return false }
        if !filterLevels[index].elementsEqual([plus]), !filterLevels[index].elementsEqual(nameLevels[index]) { return false }
        index += 1
    }
    return index == nameLevels.count
}
