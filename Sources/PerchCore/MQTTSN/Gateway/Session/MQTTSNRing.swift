/// A first-in first-out queue with O(1) append and removal at the front: a
/// client's downlink queue and sleeping buffer (§6.14).
struct MQTTSNRing<Element: Sendable>: Sendable {
    private var elements: [Element] = []
    private var head = 0

    /// How many elements are queued.
    var count: Int { elements.count - head }
    /// True when nothing is queued.
    var isEmpty: Bool { head == elements.count }
    /// The oldest element.
    var first: Element? { isEmpty ? nil : elements[head] }

    /// Adds `element` at the back.
    mutating func append(_ element: Element) {
        elements.append(element)
    }

    /// Removes and returns the oldest element.
    @discardableResult
    mutating func removeFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = elements[head]
        head += 1
        // Compact once the dead prefix outweighs the live part, so memory stays
        // proportional to what is queued while removal stays amortised O(1).
        if head >= 32 && head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Empties the queue.
    mutating func removeAll() {
        elements.removeAll()
        head = 0
    }
}
