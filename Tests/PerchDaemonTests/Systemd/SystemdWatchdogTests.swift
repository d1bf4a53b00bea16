import Foundation
import Logging
@testable import PerchDaemon
import ServiceLifecycle
import Synchronization
import Testing

@Suite("systemd watchdog: WATCHDOG=1 only while every executor answers")
struct SystemdWatchdogTests {
    @Test("the first beat only asks; a beat pings once every executor answered the last call")
    func beatNeedsEveryAnswer() {
        var beat = WatchdogBeat(executors: 2)
        let first = beat.next()
        #expect(!first.ping)
        beat.answer(executor: 0, generation: first.generation)
        #expect(beat.silent == [1])
        let second = beat.next()
        #expect(!second.ping, "executor 1 did not answer")
        beat.answer(executor: 0, generation: second.generation)
        beat.answer(executor: 1, generation: second.generation)
        #expect(beat.next().ping)
    }

    @Test("a late answer to an old call does not count for the new one")
    func oldAnswersDoNotCount() {
        var beat = WatchdogBeat(executors: 1)
        let first = beat.next()
        let second = beat.next()
        beat.answer(executor: 0, generation: first.generation)
        #expect(beat.silent == [0])
        beat.answer(executor: 0, generation: second.generation)
        #expect(beat.next().ping)
    }

    @Test("WATCHDOG_USEC halved; off without NOTIFY_SOCKET, with a zero or bad value, or another process's WATCHDOG_PID")
    func pingInterval() {
        let socket = ["NOTIFY_SOCKET": "/run/systemd/notify"]
        #expect(SystemdWatchdog.pingInterval(environment: socket.merging(["WATCHDOG_USEC": "30000000"]) { $1 }, processID: 7) == .seconds(15))
        #expect(SystemdWatchdog.pingInterval(environment: ["WATCHDOG_USEC": "30000000"], processID: 7) == nil)
        #expect(SystemdWatchdog.pingInterval(environment: socket.merging(["WATCHDOG_USEC": "0"]) { $1 }, processID: 7) == nil)
        #expect(SystemdWatchdog.pingInterval(environment: socket.merging(["WATCHDOG_USEC": "soon"]) { $1 }, processID: 7) == nil)
        #expect(SystemdWatchdog.pingInterval(environment: socket.merging(["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "8"]) { $1 }, processID: 7) == nil)
        #expect(SystemdWatchdog.pingInterval(environment: socket.merging(["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "7"]) { $1 }, processID: 7) == .microseconds(500))
    }

    @Test("a stuck executor stops the pings; the healthy one alone does not keep them going")
    func stuckExecutorStopsPings() async throws {
        let path = SystemdReadinessTests.socketPath()
        let listener = try NotifySocketListener(address: path)
        // The healthy executor counts its jobs, so the test knows beats happened.
        let (jobs, jobSink) = AsyncStream<Void>.makeStream()
        let healthy = SystemdWatchdog.Executor(name: "healthy") { job in job(); jobSink.yield() }
        let stuck = SystemdWatchdog.Executor(name: "stuck") { _ in }
        let environment = ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000"]
        let watchdog = SystemdWatchdog(
            notifier: SystemdNotifier(environment: environment), environment: environment,
            executors: [healthy, stuck], logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: watchdog)], logger: Logger(label: "test")))
        async let running: Void = group.run()
        var beats = 0
        for await _ in jobs {
            beats += 1
            if beats == 5 { break }
        }
        await group.triggerGracefulShutdown()
        try await running
        #expect(listener.receiveNow() == nil, "no WATCHDOG=1 while one executor is stuck")
    }

    @Test("with every executor answering, WATCHDOG=1 arrives")
    func healthyExecutorsPing() async throws {
        let path = SystemdReadinessTests.socketPath()
        let listener = try NotifySocketListener(address: path)
        // Both executors answer at once; the second counts its jobs, so the
        // test knows which beats ran without blocking a thread on the socket.
        let (jobs, jobSink) = AsyncStream<Void>.makeStream()
        let environment = ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000"]
        let watchdog = SystemdWatchdog(
            notifier: SystemdNotifier(environment: environment), environment: environment,
            executors: [.init(name: "first") { $0() }, .init(name: "second") { job in job(); jobSink.yield() }],
            logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: watchdog)], logger: Logger(label: "test")))
        async let running: Void = group.run()
        // The second beat pings (every job of the first ran) before it hands out its own jobs.
        var beats = 0
        for await _ in jobs {
            beats += 1
            if beats == 2 { break }
        }
        await group.triggerGracefulShutdown()
        try await running
        #expect(listener.receiveNow() == "WATCHDOG=1")
    }
}
