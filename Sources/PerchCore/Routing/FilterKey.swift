/// An upstream filter compared the way the broker compares it: byte for byte
/// (MQTT 5.0 §4.7.3, §1.5.4). `TopicFilter`'s own `==` compares `String`s, which
/// treats canonically equivalent text (`é` precomposed or not) as equal and would
/// count two filters the broker keeps apart as one.
struct FilterKey: Hashable, Sendable {
    let filter: TopicFilter

    static func == (lhs: FilterKey, rhs: FilterKey) -> Bool {
        lhs.filter.value.utf8.elementsEqual(rhs.filter.value.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = filter.value
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Byte order, i.e. code point order: reproducible, unlike `String <` on
    /// canonically equivalent text.
    static func precedes(_ lhs: TopicFilter, _ rhs: TopicFilter) -> Bool {
        lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }
}
