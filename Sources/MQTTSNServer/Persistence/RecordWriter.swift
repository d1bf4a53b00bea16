import Logging
import NIOCore
import NIOPosix
import PerchCore

/// Gathers the gateway's `.store` and `.forget` actions and writes them off the
/// event loop, one `apply` (one transaction) per burst, at most every `interval`:
/// an idle gateway writes nothing (SPEC §5: flash-friendly), and a client that
/// changes its record a hundred times in a burst is written once.
///
/// Loop-confined, like the engine that owns it; the disk work runs on `threadPool`.
final class RecordWriter {
    private let store: any MQTTSNClientStoring
    private let threadPool: NIOThreadPool
    private let eventLoop: any EventLoop
    private let interval: Duration
    private let logger: Logger

    private var pendingRecords: [String: MQTTSNClientRecord<MQTTSNPeer>] = [:]
    private var pendingForgets: Set<String> = []
    private var scheduled: Scheduled<Void>?
    private var isWriting = false
    /// The last write handed to the thread pool; it never fails (errors are logged).
    private var lastWrite: EventLoopFuture<Void>?

    init(store: any MQTTSNClientStoring, threadPool: NIOThreadPool, eventLoop: any EventLoop, interval: Duration, logger: Logger) {
        self.store = store
        self.threadPool = threadPool
        self.eventLoop = eventLoop
        self.interval = interval
        self.logger = logger
    }

    /// Replaces any pending change of the same client.
    func store(_ record: MQTTSNClientRecord<MQTTSNPeer>) {
        pendingForgets.remove(record.clientID)
        pendingRecords[record.clientID] = record
        scheduleWrite()
    }

    /// Drops any pending record of the client and removes its stored one.
    func forget(_ clientID: String) {
        pendingRecords.removeValue(forKey: clientID)
        pendingForgets.insert(clientID)
        scheduleWrite()
    }

    /// Writes what is pending now (after any write in flight) and completes when
    /// it is on disk: the last step of a graceful stop.
    func flush() -> EventLoopFuture<Void> {
        scheduled?.cancel()
        scheduled = nil
        let previous = lastWrite ?? eventLoop.makeSucceededVoidFuture()
        return previous.hop(to: eventLoop).assumeIsolated().flatMap {
            self.writePending() ?? self.eventLoop.makeSucceededVoidFuture()
        }.nonisolated()
    }

    private var hasPending: Bool { !pendingRecords.isEmpty || !pendingForgets.isEmpty }

    private func scheduleWrite() {
        guard scheduled == nil, !isWriting else { return }
        let delay = TimeAmount.nanoseconds(GatewayEngine.nanoseconds(interval))
        scheduled = eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.scheduled = nil
            _ = self.writePending()
        }
    }

    /// Hands the pending changes to the thread pool; `nil` when there are none.
    private func writePending() -> EventLoopFuture<Void>? {
        guard hasPending else { return nil }
        let records = Array(pendingRecords.values)
        let forgotten = Array(pendingForgets)
        pendingRecords.removeAll(keepingCapacity: true)
        pendingForgets.removeAll(keepingCapacity: true)
        let store = self.store
        let written = threadPool.runIfActive(eventLoop: eventLoop) {
            try store.apply(storing: records, forgetting: forgotten)
        }
        isWriting = true
        let done = written.hop(to: eventLoop).assumeIsolated().flatMapError { error in
            // The records stay in memory and the next change writes them again;
            // nothing is retried in a loop against a failing disk.
            self.logger.error("could not write MQTT-SN client records", metadata: [
                "records": "\(records.count)", "forgotten": "\(forgotten.count)", "error": "\(error)",
            ])
            return self.eventLoop.makeSucceededVoidFuture()
        }.map {
            self.isWriting = false
            if self.hasPending { self.scheduleWrite() }
        }.nonisolated()
        lastWrite = done
        return done
    }
}
