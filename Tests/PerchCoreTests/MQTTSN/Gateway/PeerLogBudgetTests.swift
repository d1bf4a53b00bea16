@testable import PerchCore
import PerchTestKit
import Testing

/// The per-peer budget of `debug` lines about refusals and drops.
@Suite("PeerLogBudget")
struct PeerLogBudgetTests {
    typealias Instant = ManualClock.Instant

    @Test("a few lines per window; the count of the rest on the next admitted line, then back to 0")
    func window() {
        var budget = PeerLogBudget<String, Instant>(linesPerWindow: 2, window: .seconds(10))
        let start = Instant(offset: .zero)
        #expect(budget.admit("a", now: start) == 0)
        #expect(budget.admit("a", now: start) == 0)
        #expect(budget.admit("a", now: start) == nil)
        #expect(budget.admit("a", now: start.advanced(by: .seconds(9))) == nil)
        #expect(budget.admit("b", now: start) == 0)
        #expect(budget.admit("a", now: start.advanced(by: .seconds(10))) == 2)
        #expect(budget.admit("a", now: start.advanced(by: .seconds(10))) == 0)
    }

    @Test("bounded: peers whose window passed are forgotten first, then all when a flood leaves none to forget")
    func bounded() {
        var budget = PeerLogBudget<Int, Instant>(linesPerWindow: 1, window: .seconds(10), capacity: 4)
        let start = Instant(offset: .zero)
        for peer in 0..<4 { _ = budget.admit(peer, now: start) }
        #expect(budget.count == 4)
        _ = budget.admit(4, now: start.advanced(by: .seconds(11)))
        #expect(budget.count == 1)
        for peer in 5..<8 { _ = budget.admit(peer, now: start.advanced(by: .seconds(11))) }
        #expect(budget.count == 4)
        _ = budget.admit(100, now: start.advanced(by: .seconds(12)))
        #expect(budget.count == 1)
    }
}
