import Foundation
import Glibc

/// The last commanded state of the `initial: restore` pins (SPEC §6), kept in
/// `{state_directory}/gpio-state.json` as `{"relay1": "ON", "pump": "OFF"}`.
///
/// Saving is atomic and durable: the new contents go to a temporary file in
/// the same directory, are flushed, and are renamed over the old file, and the
/// directory is flushed too; after a power loss the file holds the old states
/// or the new ones, never a mix or nothing. A temporary file left by a crash is
/// ignored by `load` and overwritten by the next `save`.
public struct PinStateFile: Sendable, Hashable {
    /// The file's path.
    public let path: String

    /// The largest file `load` accepts: far more than any pin list needs, so a
    /// bigger file is something else and is reported rather than read whole.
    static let maximumSize = 1 << 20

    /// The states file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Where `save` writes before renaming.
    var temporaryPath: String { path + ".tmp" }

    /// The saved states by pin name (`true` is ON); `[:]` when there is no file.
    ///
    /// - Throws: `PinStateFileError.unreadable` or `.corrupt`, naming the file.
    public func load() throws(PinStateFileError) -> [String: Bool] {
        guard let data = try readContents() else { return [:] }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .corrupt(path: path, reason: "not JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw .corrupt(path: path, reason: "not a JSON object")
        }
        var states: [String: Bool] = [:]
        for (name, value) in entries {
            // Written as ON/OFF; any case is accepted from a hand-edited file.
            switch (value as? String)?.uppercased() {
            case "ON": states[name] = true
            case "OFF": states[name] = false
            default: throw .corrupt(path: path, reason: "\(name) is not \"ON\" or \"OFF\"")
            }
        }
        return states
    }

    /// Replaces the saved states with `states` (`true` is ON), atomically and durably.
    ///
    /// - Throws: `PinStateFileError.unwritable`, naming the file and the step that failed.
    public func save(_ states: [String: Bool]) throws(PinStateFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // A dictionary of strings always encodes.
        let data = (try? encoder.encode(states.mapValues { $0 ? "ON" : "OFF" })) ?? Data("{}".utf8)
        try writeTemporary(data + Data("\n".utf8))
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            unlink(temporaryPath)
            throw .unwritable(path: path, operation: "rename", errno: failure)
        }
        try syncDirectory()
    }

    /// The file's bytes, `nil` when it does not exist.
    private func readContents() throws(PinStateFileError) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, errno: errno)
        }
        defer { close(descriptor) }
        var contents = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                contents.append(contentsOf: chunk.prefix(count))
                guard contents.count <= Self.maximumSize else {
                    throw .corrupt(path: path, reason: "larger than \(Self.maximumSize) bytes")
                }
            } else if count == 0 {
                return contents
            } else if errno != EINTR {
                throw .unreadable(path: path, errno: errno)
            }
        }
    }

    /// Writes `data` to the temporary file and flushes it to the disk.
    private func writeTemporary(_ data: Data) throws(PinStateFileError) {
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unwritable(path: path, operation: "open \(temporaryPath)", errno: errno) }
        var failure: (operation: String, errno: Int32)?
        let bytes = [UInt8](data)
        var written = 0
        while written < bytes.count, failure == nil {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                written += count
            } else if errno != EINTR {
                failure = ("write", errno)
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = ("fsync", errno) }
        if close(descriptor) != 0, failure == nil { failure = ("close", errno) }
        if let failure {
            unlink(temporaryPath)
            throw .unwritable(path: path, operation: failure.operation, errno: failure.errno)
        }
    }

    /// Flushes the directory so that the rename itself survives a power loss.
    private func syncDirectory() throws(PinStateFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unwritable(path: path, operation: "open the directory", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .unwritable(path: path, operation: "fsync the directory", errno: errno) }
    }
}
