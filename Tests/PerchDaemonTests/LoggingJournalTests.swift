import Foundation
import Logging
import PerchDaemon
import Synchronization
import Testing

/// Collects lines in memory.
private final class CapturedLines: LogLineOutput {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func write(line: String) { lines.withLock { $0.append(line) } }
}

private func makeLogger(style: JournalLogStyle, output: CapturedLines, level: Logger.Level = .trace) -> Logger {
    Logger(label: "perch.test") { label in JournalLogHandler(label: label, level: level, style: style, output: output) }
}

@Suite("JournalLogHandler")
struct LoggingJournalTests {
    @Test("JOURNAL_STREAM selects the <N> priority style (sd-daemon(3)); its absence the readable one")
    func styleDetection() {
        #expect(JournalLogStyle.detect(environment: ["JOURNAL_STREAM": "8:12345"]) == .journal)
        #expect(JournalLogStyle.detect(environment: [:]) == .readable)
        #expect(JournalLogStyle.detect(environment: ["JOURNAL_STREAM": ""]) == .readable)
    }

    @Test(
        "every level maps to its syslog priority",
        arguments: [
            (Logger.Level.trace, "<7>"), (.debug, "<7>"), (.info, "<6>"), (.notice, "<5>"),
            (.warning, "<4>"), (.error, "<3>"), (.critical, "<2>"),
        ])
    func priorities(level: Logger.Level, prefix: String) {
        let output = CapturedLines()
        makeLogger(style: .journal, output: output).log(level: level, "m")
        #expect(output.all == ["\(prefix)perch.test: m\n"])
    }

    @Test("readable style spells the level out and has no timestamp")
    func readableStyle() {
        let output = CapturedLines()
        makeLogger(style: .readable, output: output).warning("disk low")
        #expect(output.all == ["WARNING perch.test: disk low\n"])
    }

    @Test("metadata is appended sorted by key; handler, then event metadata, the event winning")
    func metadataOrder() {
        let output = CapturedLines()
        var logger = makeLogger(style: .journal, output: output)
        logger[metadataKey: "zeta"] = "1"
        logger[metadataKey: "alpha"] = "handler"
        logger.info("connected", metadata: ["alpha": "event", "broker": "mqtts://127.0.0.1:8883"])
        #expect(output.all == ["<6>perch.test: connected alpha=event broker=mqtts://127.0.0.1:8883 zeta=1\n"])
    }

    @Test("newlines in messages and values are escaped, so one event is exactly one line")
    func oneEventOneLine() throws {
        let output = CapturedLines()
        makeLogger(style: .readable, output: output).error(
            "first\nsecond\r\u{1B}[31m", metadata: ["reason": "a \"b\"\nc", "empty": ""])
        let line = try #require(output.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1)
        #expect(line.hasSuffix("\n"))
        #expect(line == #"ERROR perch.test: first\nsecond\r\u{1b}[31m empty="" reason="a \"b\"\nc""# + "\n")
    }

    // Errors attached to events (swift-log 1.12's `error:`) are not tested:
    // Debian 13's Swift 6.0 resolves swift-log 1.11, which has no such
    // argument; Perch passes its errors as "error" metadata.
    @Test("the level filter is the handler's")
    func levelFilter() {
        let output = CapturedLines()
        let logger = makeLogger(style: .journal, output: output, level: .notice)
        logger.info("hidden")
        logger.notice("shown")
        logger.error("publish failed", metadata: ["error": "boom"])
        #expect(output.all == ["<5>perch.test: shown\n", "<3>perch.test: publish failed error=boom\n"])
    }

    @Test("loggers made by the factory follow its level control, even those made before a change")
    func levelControlReachesExistingLoggers() {
        let output = CapturedLines()
        let control = LogLevelControl(.notice)
        let factory = JournalLogHandler.factory(level: control, environment: ["JOURNAL_STREAM": "1:2"], output: output)
        let logger = Logger(label: "perch.test", factory: factory)
        logger.info("hidden")
        control.level = .debug
        logger.debug("shown after the reload")
        var own = Logger(label: "perch.own", factory: factory)
        own.logLevel = .error
        own.warning("hidden by its own level")
        control.level = .warning
        logger.info("hidden again")
        #expect(output.all == ["<7>perch.test: shown after the reload\n"])
        #expect(control.level == .warning)
    }

    @Test("FileDescriptorLogOutput writes whole lines from many threads into a pipe")
    func pipeFromManyThreads() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        let factory = JournalLogHandler.factory(
            level: LogLevelControl(.info), environment: ["JOURNAL_STREAM": "1:2"], output: FileDescriptorLogOutput(fileDescriptor: fds[1]))
        let long = String(repeating: "x", count: 6000)  // longer than PIPE_BUF: atomicity comes from the lock
        let writers = 8
        let perWriter = 25
        // Read on a thread of its own so the pipe never fills up while writers hold the lock.
        let (collected, delivery) = AsyncStream.makeStream(of: Data.self)
        Thread {
            delivery.yield(reader.readDataToEndOfFile())
            delivery.finish()
        }.start()
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let logger = Logger(label: "w\(writer)", factory: factory)
                    for index in 0..<perWriter { logger.info("\(long)", metadata: ["i": "\(index)"]) }
                }
            }
        }
        close(fds[1])
        var received = collected.makeAsyncIterator()
        let text = String(decoding: try #require(await received.next()), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == writers * perWriter)
        #expect(lines.allSatisfy { $0.hasPrefix("<6>w") && $0.contains(": \(long) i=") })
    }
}
