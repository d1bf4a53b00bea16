#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on `{state_dir}/perchd.lock`, held by a running
/// perchd for its whole life (the kernel lets go when the process ends, even
/// on kill -9). It keeps a second perchd off the same state, and tells
/// `perchd spool dead-letters --requeue` that the spool is in use.
final class StateDirectoryLock {
    private let descriptor: Int32

    /// Why the lock could not be taken.
    enum Failure: Error, CustomStringConvertible {
        /// Another process holds it: a perchd runs on this state directory.
        case held(path: String)
        /// The file cannot be opened.
        case unusable(path: String, reason: String)

        var description: String {
            switch self {
            case .held(let path): "another perchd holds \(path): it is running on this state directory"
            case .unusable(let path, let reason): "cannot open \(path): \(reason)"
            }
        }
    }

    /// The lock's path in `stateDirectory`.
    static func path(inStateDirectory stateDirectory: String) -> String {
        stateDirectory.hasSuffix("/") ? stateDirectory + "perchd.lock" : stateDirectory + "/perchd.lock"
    }

    /// Takes the lock without waiting (the state directory must exist).
    init(stateDirectory: String) throws(Failure) {
        let path = Self.path(inStateDirectory: stateDirectory)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unusable(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            close(descriptor)
            if error == EWOULDBLOCK { throw .held(path: path) }
            throw .unusable(path: path, reason: String(cString: strerror(error)))
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
