import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Sends `WATCHDOG=1` to systemd every half of `WatchdogSec` while every
/// executor of perchd keeps answering (`WatchdogBeat`). Outside systemd, or
/// when the unit sets no watchdog (`interval` is `nil`), `run()` returns at
/// once: perchd then leaves it out of its service group.
///
/// An executor is a closure that runs the job it is handed on that executor
/// (`eventLoop.execute`, the CoAP queue's `async`), whenever it gets to it.
/// The watchdog never waits on one: a stuck loop simply never answers, and the
/// pings stop.
struct SystemdWatchdog: Service {
    /// A named executor: runs `job` on itself, once, when it can.
    struct Executor: Sendable {
        let name: String
        let run: @Sendable (_ job: @escaping @Sendable () -> Void) -> Void
    }

    let notifier: SystemdNotifier
    /// Half of `WATCHDOG_USEC`, or `nil` when systemd asked for no watchdog.
    let interval: Duration?
    let executors: [Executor]
    let logger: Logger

    /// Reads `WATCHDOG_USEC` and `WATCHDOG_PID` (sd_watchdog_enabled(3)): a
    /// `WATCHDOG_PID` naming another process means the watchdog is not ours.
    init(notifier: SystemdNotifier, environment: [String: String], executors: [Executor], logger: Logger) {
        self.notifier = notifier
        self.executors = executors
        self.logger = logger
        self.interval = Self.pingInterval(environment: environment, processID: Int(getpid()))
    }

    /// Half the watchdog timeout systemd set, as sd_watchdog_enabled(3) advises.
    static func pingInterval(environment: [String: String], processID: Int) -> Duration? {
        guard notifierIsSet(environment),
              let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], Int(pid) != processID { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    private static func notifierIsSet(_ environment: [String: String]) -> Bool {
        !(environment["NOTIFY_SOCKET"] ?? "").isEmpty
    }

    func run() async {
        guard let interval else { return }
        logger.debug("systemd watchdog on", metadata: ["ping_every": "\(interval)"])
        let beat = Mutex(WatchdogBeat(executors: executors.count))
        await cancelWhenGracefulShutdown {
            var warnedSilent: [Int] = []
            while (try? await Task.sleep(for: interval)) != nil {
                let (ping, generation, silent) = beat.withLock { beat in
                    let silent = beat.silent
                    let next = beat.next()
                    return (next.ping, next.generation, silent)
                }
                if ping {
                    do { try notifier.watchdog() } catch {
                        logger.warning("could not ping the systemd watchdog", metadata: ["error": "\(error)"])
                    }
                } else if !silent.isEmpty, silent != warnedSilent {
                    // Logged once per change: systemd will end perchd if it lasts.
                    logger.error(
                        "an event loop stopped answering; the systemd watchdog is no longer pinged",
                        metadata: ["executors": "\(silent.map { executors[$0].name })"]
                    )
                }
                warnedSilent = silent
                for (index, executor) in executors.enumerated() {
                    executor.run { beat.withLock { $0.answer(executor: index, generation: generation) } }
                }
            }
        }
    }
}
