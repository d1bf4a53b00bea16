/// The cases of one `perch-bench mqttsn` run, in the order they are measured:
/// for each QoS, client count and rate, the ceiling and then perchd, so that
/// the two rows of a pair see the same machine load.
struct Grid {
    var clients: [Int]
    var rates: [Int?]
    var qos: [Int]
    var window: Int
    var seconds: Double

    init(clients: [Int], rates: [Int?], qos: [Int], window: Int, seconds: Double) throws {
        guard clients.allSatisfy({ (1...5000).contains($0) }) else { throw BenchError.invalidSetting("clients must be 1…5000") }
        guard qos.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw BenchError.invalidSetting("qos must be 0 or 1") }
        guard (1...100).contains(window) else { throw BenchError.invalidSetting("window must be 1…100") }
        self.clients = clients
        self.rates = rates
        self.qos = qos
        self.window = window
        self.seconds = seconds
    }

    func cases(paths: [LoadSettings.Path], firstTag tag: inout UInt32) -> [LoadSettings] {
        var result: [LoadSettings] = []
        for level in qos {
            for count in clients {
                for rate in rates {
                    for path in paths {
                        result.append(make(path: path, clients: count, rate: rate, isQoS1: level == 1, tag: &tag))
                    }
                }
            }
        }
        return result
    }

    /// perchd with its uplink over TLS, as in production: 100 clients at 50k msgs/s, QoS 0 and 1.
    func tlsCases(firstTag tag: inout UInt32) -> [LoadSettings] {
        qos.map { make(path: .perchd(tls: true), clients: 100, rate: 50_000, isQoS1: $0 == 1, tag: &tag) }
    }

    private func make(path: LoadSettings.Path, clients: Int, rate: Int?, isQoS1: Bool, tag: inout UInt32) -> LoadSettings {
        tag &+= 1
        return LoadSettings(
            path: path, clients: clients, rate: rate, isQoS1: isQoS1, window: window,
            durationNanoseconds: UInt64(seconds * 1e9), caseTag: tag)
    }
}
