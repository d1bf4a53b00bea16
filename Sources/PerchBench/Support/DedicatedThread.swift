import Foundation

/// Runs blocking socket loops on a thread of their own, off Swift's cooperative
/// pool: the load generator and the counter make a system call per message and
/// must not starve (or be starved by) the async code driving the benchmark.
enum DedicatedThread {
    /// Runs `body` on a new thread and returns its result.
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.start()
        }
    }
}
