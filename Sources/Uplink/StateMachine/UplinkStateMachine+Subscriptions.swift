import MQTTCodec
import NIOCore

/// A SUBSCRIBE or UNSUBSCRIBE waiting to be sent. `request` is nil for the
/// uplink's own re-subscriptions after a reconnect.
enum ControlRequest: Sendable, Equatable {
    case subscribe([SubscribePacket.Subscription], request: RequestID?)
    case unsubscribe([String], request: RequestID?)

    var request: RequestID? {
        switch self {
        case .subscribe(_, let request), .unsubscribe(_, let request): return request
        }
    }
}

/// A SUBSCRIBE or UNSUBSCRIBE sent and not yet acknowledged.
struct OpenControlRequest: Sendable, Equatable {
    var request: ControlRequest
    var sequence: UInt64
}

extension UplinkStateMachine {
    /// Filters per SUBSCRIBE when restoring subscriptions, to keep packets small.
    static let restoreBatchSize = 64

    /// A caller subscribes. The subscription is remembered at once, so that it
    /// is restored after a reconnect even if this SUBACK never arrives.
    mutating func subscribe(_ filter: String, qos: MQTTQoS, request: RequestID, now: NIODeadline) -> [UplinkAction] {
        guard !isStopped else { return [.complete(.request(request), .failed(.shuttingDown))] }
        let subscription = SubscribePacket.Subscription(topicFilter: filter, qos: qos)
        subscriptions.removeAll { $0.topicFilter == filter }
        subscriptions.append(subscription)
        controlQueue.append(.subscribe([subscription], request: request))
        let actions = drainControl()
        noteSent(actions, now: now)
        return actions
    }

    /// A caller unsubscribes; the filter is forgotten at once.
    mutating func unsubscribe(_ filter: String, request: RequestID, now: NIODeadline) -> [UplinkAction] {
        guard !isStopped else { return [.complete(.request(request), .failed(.shuttingDown))] }
        subscriptions.removeAll { $0.topicFilter == filter }
        controlQueue.append(.unsubscribe([filter], request: request))
        let actions = drainControl()
        noteSent(actions, now: now)
        return actions
    }

    /// Sends queued SUBSCRIBE/UNSUBSCRIBE requests, in order, while connected.
    mutating func drainControl() -> [UplinkAction] {
        guard isConnected else { return [] }
        var actions: [UplinkAction] = []
        while let front = controlQueue.first, let packetID = packetIDs.allocate() {
            controlQueue.removeFirst()
            openControl[packetID] = OpenControlRequest(request: front, sequence: takeSequence())
            switch front {
            case .subscribe(let subscriptions, _):
                actions.append(.send(.subscribe(SubscribePacket(packetID: packetID, subscriptions: subscriptions))))
            case .unsubscribe(let filters, _):
                actions.append(.send(.unsubscribe(UnsubscribePacket(packetID: packetID, topicFilters: filters))))
            }
        }
        return actions
    }

    /// The broker has no session: subscribe again to everything remembered that
    /// is not already queued, ahead of the queue.
    mutating func restoreSubscriptions() {
        let queued = Set(controlQueue.flatMap { request -> [String] in
            if case .subscribe(let subscriptions, _) = request { return subscriptions.map(\.topicFilter) }
            return []
        })
        let missing = subscriptions.filter { !queued.contains($0.topicFilter) }
        var start = missing.endIndex
        // Prepending batches from the back keeps the original order.
        while start > missing.startIndex {
            let lower = max(missing.startIndex, start - Self.restoreBatchSize)
            controlQueue.prepend(.subscribe(Array(missing[lower..<start]), request: nil))
            start = lower
        }
    }

    mutating func subAckReceived(_ ack: SubAckPacket) -> [UplinkAction] {
        guard let open = openControl.removeValue(forKey: ack.packetID),
            case .subscribe(let requested, let request) = open.request
        else {
            return [.warn("SUBACK for packet id \(ack.packetID), which awaits no SUBACK: ignored")]
        }
        packetIDs.release(ack.packetID)
        guard ack.reasonCodes.count == requested.count else {
            return protocolViolation("SUBACK with \(ack.reasonCodes.count) codes for \(requested.count) filters")
        }
        var actions: [UplinkAction] = []
        for (subscription, code) in zip(requested, ack.reasonCodes) {
            let outcome: RequestOutcome
            if let granted = MQTTQoS(rawValue: code.rawValue) {
                outcome = .subscribed(granted)
            } else {
                // Refused: forget it, or it would be refused again on every reconnect.
                subscriptions.removeAll { $0.topicFilter == subscription.topicFilter }
                outcome = .failed(.subscriptionRefused(filter: subscription.topicFilter, code: code))
            }
            if let request {
                actions.append(.complete(.request(request), outcome))
            } else if case .failed(let error) = outcome {
                actions.append(.warn("restoring a subscription failed: \(error)"))
            }
        }
        return actions + drainControl() + drain()
    }

    mutating func unsubAckReceived(_ ack: UnsubAckPacket) -> [UplinkAction] {
        guard let open = openControl.removeValue(forKey: ack.packetID),
            case .unsubscribe(let filters, let request) = open.request
        else {
            return [.warn("UNSUBACK for packet id \(ack.packetID), which awaits no UNSUBACK: ignored")]
        }
        packetIDs.release(ack.packetID)
        // 5.0 §3.11.3: one code per filter; 3.1.1 has none and means success.
        let refusal = zip(filters, ack.reasonCodes).first { !$0.1.isSuccess }
        var actions: [UplinkAction] = []
        if let request {
            let outcome: RequestOutcome = refusal.map { .failed(.subscriptionRefused(filter: $0.0, code: $0.1)) } ?? .unsubscribed
            actions.append(.complete(.request(request), outcome))
        }
        return actions + drainControl() + drain()
    }
}
