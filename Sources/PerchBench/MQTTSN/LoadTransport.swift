/// The clients of one case as the publish loop sees them: MQTT-SN over UDP to
/// perchd, or MQTT over TCP to the broker. Used by one thread at a time.
protocol LoadTransport: AnyObject {
    /// How many clients there are.
    var clientCount: Int { get }
    /// Sends that failed for another reason than a full socket buffer.
    var sendFailures: Int { get }
    /// QoS 1 acknowledgements that carried a refusal (MQTT-SN "rejected: congestion", …).
    var refusals: Int { get }

    /// The socket of client `index`, to be watched for acknowledgements.
    func socket(ofClient index: Int) -> Int32

    /// Sends one PUBLISH; false when it could not go now (socket buffer full, error).
    func publish(client: Int, payload: BenchPayload, messageID: UInt16, isQoS1: Bool, isDuplicate: Bool) -> Bool

    /// Reads everything that has arrived for client `index`, calling `acknowledged` per PUBACK's message id.
    func readAcknowledgements(client index: Int, _ acknowledged: (UInt16) -> Void)

    /// Says goodbye (DISCONNECT) and closes the sockets.
    func close()
}
