/// Which executors answered the watchdog's last call, so that `WATCHDOG=1` is
/// sent only while every one of them is doing its own work.
///
/// Each beat asks every executor (the event loop that carries the uplink, the
/// MQTT-SN server, the spool and GPIO; the CoAP server's queue) to run a tiny
/// job, and the next beat pings systemd only if every job ran in between. A
/// loop stuck in a callback never runs its job, the pings stop, and systemd
/// restarts perchd after `WatchdogSec` (systemd.service(5)). Pure: the service
/// around it owns the clock and the socket.
struct WatchdogBeat: Sendable, Equatable {
    /// The generation asked for at the last beat; jobs answer with it.
    private(set) var generation: UInt64 = 0
    /// Per executor, the last generation it answered.
    private(set) var answered: [UInt64]

    /// A beat over `executors` executors; the first beat only asks.
    init(executors: Int) {
        answered = Array(repeating: 0, count: executors)
    }

    /// Records that executor `index` ran the job of `generation`.
    mutating func answer(executor index: Int, generation: UInt64) {
        guard answered.indices.contains(index) else { return }
        answered[index] = max(answered[index], generation)
    }

    /// The executors that have not answered the last call.
    var silent: [Int] {
        answered.indices.filter { answered[$0] < generation }
    }

    /// Starts the next beat: whether systemd may be pinged now (every executor
    /// answered the previous call; nothing was asked yet at the first beat, so
    /// it is not), and the generation the new jobs carry.
    mutating func next() -> (ping: Bool, generation: UInt64) {
        let ping = generation > 0 && silent.isEmpty
        generation += 1
        return (ping, generation)
    }
}
