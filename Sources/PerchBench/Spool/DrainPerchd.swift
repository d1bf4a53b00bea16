import Foundation
import PerchTestKit

/// The release perchd of a spool benchmark: MQTT-SN on a free 127.0.0.1 port,
/// its uplink over TLS to `uplinkPort` (the broker itself, or the link relay
/// in front of it), the spool at its defaults in a fresh state directory.
struct DrainPerchd {
    let process: ChildProcess
    /// perchd's MQTT-SN UDP port.
    let port: Int
    let directory: TemporaryDirectory

    /// Starts perchd; it is ready once the MQTT-SN handshake of the load clients succeeds
    /// (the handshake retries while perchd is still starting).
    static func start(
        executable: String, broker: MosquittoFixture, uplinkPort: Int, gatewayID: String, receiveBuffer: String?
    ) throws -> DrainPerchd {
        let directory = try TemporaryDirectory(prefix: "perch-bench-spool")
        do {
            let port = try PosixSocket.freeUDPPort()
            var text = """
                gateway:
                  id: \(gatewayID)
                  state_dir: "\(directory.path)"
                uplink:
                  url: mqtts://127.0.0.1:\(uplinkPort)
                  tls:
                    ca_file: "\(broker.certificates.caFile)"
                  reconnect:
                    min: 250ms
                    max: 250ms
                mqttsn:
                  listen: ["127.0.0.1:\(port)"]
                  max_clients: 2000
                  rate_limit: off

                """
            if let receiveBuffer { text += "  receive_buffer: \(receiveBuffer)\n" }
            text += """
                coap:
                  listen: []
                spool:
                  commit_interval: 100ms
                log:
                  level: warning

                """
            let path = try directory.write(text, to: "perch.yaml")
            let process = try ChildProcess.start(
                executable, arguments: ["--config", path], removingEnvironment: ["JOURNAL_STREAM", "NOTIFY_SOCKET"])
            return DrainPerchd(process: process, port: port, directory: directory)
        } catch {
            directory.remove()
            throw error
        }
    }

    /// Bytes of `perch.db` plus `perch.db-wal` now (the `-shm` index is a mapped scratch file, not data).
    var spoolFileBytes: Int {
        ["perch.db", "perch.db-wal"].reduce(0) { sum, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.file(name))
            return sum + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// write_bytes of /proc/PID/io: bytes perchd caused to be sent to the storage layer.
    func writeBytes() throws -> Int {
        try ProcessSample.read(pid: process.processIdentifier).storageWriteBytes
    }

    /// RSS, peak RSS and CPU time now.
    func sample() throws -> ProcessSample {
        try ProcessSample.read(pid: process.processIdentifier)
    }

    /// SIGTERM, and removes the state directory.
    func stop() async {
        _ = try? await process.stop(gracePeriod: .seconds(10))
        directory.remove()
    }
}
