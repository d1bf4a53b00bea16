import Foundation
import PerchTestKit

/// One release perchd started for one case, with a generated configuration:
/// uplink to the benchmark's broker, MQTT-SN on a free 127.0.0.1 port, CoAP on
/// another when asked for (off otherwise), log level warning (no line per packet).
struct PerchdUnderTest {
    let process: ChildProcess
    /// perchd's MQTT-SN UDP port.
    let port: Int
    /// perchd's plain CoAP UDP port; nil when CoAP is off.
    let coapPort: Int?
    let directory: TemporaryDirectory

    /// Starts perchd and returns once its status topic says it is online (its uplink is connected).
    static func start(
        executable: String, broker: MosquittoFixture, gatewayID: String, receiveBuffer: String?, servesCoAP: Bool = false
    ) async throws -> PerchdUnderTest {
        let directory = try TemporaryDirectory(prefix: "perch-bench-mqttsn")
        do {
            let port = try PosixSocket.freeUDPPort()
            let coapPort = servesCoAP ? try freeUDPPort(besides: port) : nil
            let path = try directory.write(
                configuration(
                    broker: broker, gatewayID: gatewayID, port: port, coapPort: coapPort, stateDirectory: directory.path,
                    receiveBuffer: receiveBuffer),
                to: "perch.yaml")
            let process = try ChildProcess.start(
                executable, arguments: ["--config", path], removingEnvironment: ["JOURNAL_STREAM", "NOTIFY_SOCKET"])
            let perchd = PerchdUnderTest(process: process, port: port, coapPort: coapPort, directory: directory)
            do {
                // The first status document is published once the uplink is up: the event to wait for.
                _ = try await broker.subscribe(topic: "perch/\(gatewayID)/status", count: 1, timeout: .seconds(20))
            } catch {
                await perchd.stop()
                throw BenchError.notConnected(detail: "perchd published no status: \(error)\n\(process.outputTail(10))")
            }
            return perchd
        } catch {
            directory.remove()
            throw error
        }
    }

    /// Whether this perchd accepts `mqttsn.receive_buffer` (the key may not exist yet).
    static func acceptsReceiveBuffer(executable: String, size: String) async -> Bool {
        guard let directory = try? TemporaryDirectory(prefix: "perch-bench-check") else { return false }
        defer { directory.remove() }
        let text = "uplink:\n  url: mqtt://127.0.0.1:1883\nmqttsn:\n  receive_buffer: \(size)\n"
        guard let path = try? directory.write(text, to: "perch.yaml"),
            let check = try? ChildProcess.start(executable, arguments: ["check", "--config", path]),
            let status = try? await check.waitForExit(timeout: .seconds(30))
        else { return false }
        return status.isSuccess
    }

    /// RSS, peak RSS and CPU time now.
    func sample() throws -> ProcessSample {
        try ProcessSample.read(pid: process.processIdentifier)
    }

    /// Datagrams the kernel dropped at perchd's MQTT-SN socket so far.
    var udpDrops: Int? { UDPDrops.read(port: port) }

    /// Datagrams the kernel dropped at perchd's CoAP socket so far.
    var coapUDPDrops: Int? { coapPort.flatMap { UDPDrops.read(port: $0) } }

    /// The last lines perchd wrote (warnings and errors only, at this log level).
    var outputTail: String { process.outputTail(5) }

    /// SIGTERM, and removes the state directory.
    func stop() async {
        _ = try? await process.stop(gracePeriod: .seconds(10))
        directory.remove()
    }

    /// A free UDP port other than `taken` (the system may hand the same one out twice in a row).
    private static func freeUDPPort(besides taken: Int) throws -> Int {
        for _ in 0..<10 {
            let port = try PosixSocket.freeUDPPort()
            if port != taken { return port }
        }
        throw BenchError.invalidSetting("no second free UDP port on 127.0.0.1")
    }

    private static func configuration(
        broker: MosquittoFixture, gatewayID: String, port: Int, coapPort: Int?, stateDirectory: String, receiveBuffer: String?
    ) -> String {
        var text = """
            gateway:
              id: \(gatewayID)
              state_dir: "\(stateDirectory)"
            uplink:
              url: \(broker.url)

            """
        if broker.tls != .none {
            text += "  tls:\n    ca_file: \"\(broker.certificates.caFile)\"\n"
        }
        text += """
            mqttsn:
              listen: ["127.0.0.1:\(port)"]
              max_clients: 2000
              rate_limit: off

            """
        if let receiveBuffer { text += "  receive_buffer: \(receiveBuffer)\n" }
        text += """
            coap:
              listen: [\(coapPort.map { "\"127.0.0.1:\($0)\"" } ?? "")]
            log:
              level: warning

            """
        return text
    }
}
