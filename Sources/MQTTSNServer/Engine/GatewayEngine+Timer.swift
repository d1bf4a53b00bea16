import NIOCore

extension GatewayEngine {
    /// Keeps exactly one scheduled task, at the gateway's next deadline (keep-alive,
    /// sleep, retransmission, ADVERTISE), moving it only when the deadline moved.
    func rescheduleTimer() {
        guard !isStopping else { return }
        let next = gateway.nextDeadline
        guard next != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = next
        guard let next else { return }
        let delay = Self.nanoseconds(clock.now.duration(to: next))
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(delay)) {
            self.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard !isStopping else { return }
        gateway.expireTimers(now: clock.now, actions: &actions)
        carryOutActions()
        endOfEvents()
    }

    /// Whole nanoseconds, never negative, saturating instead of overflowing.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return Int64.max }
        let (total, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowAgain ? Int64.max : max(0, total)
    }
}
