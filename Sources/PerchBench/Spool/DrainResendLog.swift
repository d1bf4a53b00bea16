/// The load clients as the outage's publisher sees them, noting every message
/// it had to send again (DUP): a PUBLISH the kernel dropped at perchd's full
/// socket reaches perchd only with its resend, after later messages of the
/// same client, so the spool rightly accepts it after them. The order check
/// leaves exactly these messages out.
// Like the clients it wraps: made before the run, used by the generator's thread, read after it; the
// continuation of `DedicatedThread.run` orders those accesses, so no two threads touch it at once.
final class DrainResendLog: LoadTransport, @unchecked Sendable {
    private let clients: MQTTSNLoadClients
    /// (client, sequence) of every message sent again.
    private(set) var resent: Set<DrainMessageKey> = []

    init(wrapping clients: MQTTSNLoadClients) {
        self.clients = clients
    }

    var clientCount: Int { clients.clientCount }
    var sendFailures: Int { clients.sendFailures }
    var refusals: Int { clients.refusals }

    func socket(ofClient index: Int) -> Int32 { clients.socket(ofClient: index) }

    func publish(client: Int, payload: BenchPayload, messageID: UInt16, isQoS1: Bool, isDuplicate: Bool) -> Bool {
        let isSent = clients.publish(client: client, payload: payload, messageID: messageID, isQoS1: isQoS1, isDuplicate: isDuplicate)
        if isSent && isDuplicate { resent.insert(DrainMessageKey(client: payload.client, sequence: payload.sequence)) }
        return isSent
    }

    func readAcknowledgements(client index: Int, _ acknowledged: (UInt16) -> Void) {
        clients.readAcknowledgements(client: index, acknowledged)
    }

    func close() { clients.close() }
}

/// One benchmark message: its client and that client's sequence number.
struct DrainMessageKey: Hashable, Sendable {
    var client: UInt32
    var sequence: UInt32
}
