import Foundation
import GPIO
import Glibc
import PerchTestKit
import Testing

@Suite("PinStateFile: the last commanded states, kept across restarts")
struct PinStateFileTests {
    @Test("what is saved is loaded again; the file is a JSON object of ON/OFF")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = PinStateFile(path: directory.file("gpio-state.json"))
        try file.save(["relay1": true, "pump": false, "fan/2": true])
        #expect(try file.load() == ["relay1": true, "pump": false, "fan/2": true])

        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(object == ["relay1": "ON", "pump": "OFF", "fan/2": "ON"])
        #expect(text.contains(#""fan/2""#))  // slashes unescaped

        try file.save(["relay1": false])
        #expect(try file.load() == ["relay1": false])
    }

    @Test("no file yet: nothing saved, not an error")
    func missing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try PinStateFile(path: directory.file("gpio-state.json")).load() == [:])
    }

    @Test("a damaged file is a typed error naming the file and the problem", arguments: [
        ("{\"relay1\": \"ON\"", "not JSON"),
        ("[\"ON\"]", "not a JSON object"),
        ("{\"relay1\": \"maybe\"}", "relay1 is not"),
        ("{\"relay1\": true}", "relay1 is not"),
        ("", "not JSON"),
    ])
    func corrupt(contents: String, reason: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(contents, to: "gpio-state.json")
        let error = thrownError(PinStateFileError.self) { try PinStateFile(path: path).load() }
        guard case let .corrupt(errorPath, _) = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains(reason) == true)
    }

    @Test("states written by hand in lower case are read")
    func anyCase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(#"{"relay1": "on", "pump": "Off"}"#, to: "gpio-state.json")
        #expect(try PinStateFile(path: path).load() == ["relay1": true, "pump": false])
    }

    @Test("a temporary file left by a crash neither breaks load nor survives the next save")
    func leftoverTemporary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = PinStateFile(path: directory.file("gpio-state.json"))
        try file.save(["relay1": true])
        try directory.write("{\"relay1\": \"OF", to: "gpio-state.json.tmp")
        #expect(try file.load() == ["relay1": true])
        try file.save(["relay1": false])
        #expect(try file.load() == ["relay1": false])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names == ["gpio-state.json"])
    }

    @Test("a path that cannot be read is unreadable, naming the file")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A directory in the file's place: read(2) fails with EISDIR, even for root.
        let path = directory.file("gpio-state.json")
        #expect(mkdir(path, 0o700) == 0)
        let error = thrownError(PinStateFileError.self) { try PinStateFile(path: path).load() }
        #expect(error == .unreadable(path: path, errno: EISDIR))
        #expect(error?.description.contains(path) == true)
    }

    @Test("a directory that cannot take the file: unwritable, naming the file and the step")
    func unwritableDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent/gpio-state.json")
        let error = thrownError(PinStateFileError.self) { try PinStateFile(path: path).save(["relay1": true]) }
        guard case let .unwritable(errorPath, operation, code) = error else {
            Issue.record("expected .unwritable, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(operation.hasPrefix("open"))
        #expect(code == ENOENT)
        #expect(error?.description.contains(path) == true)
    }

    @Test("no permission: load and save fail with EACCES (root ignores modes, so not as root)",
          .enabled(if: getuid() != 0, "root bypasses file permissions"))
    func permissions() throws {
        let directory = try TemporaryDirectory()
        defer {
            chmod(directory.path, 0o700)
            directory.remove()
        }
        let path = try directory.write(#"{"relay1": "ON"}"#, to: "gpio-state.json")
        #expect(chmod(path, 0o000) == 0)
        #expect(throws: PinStateFileError.unreadable(path: path, errno: EACCES)) { try PinStateFile(path: path).load() }
        #expect(chmod(directory.path, 0o500) == 0)
        let error = thrownError(PinStateFileError.self) { try PinStateFile(path: path).save(["relay1": false]) }
        if case let .unwritable(_, _, code) = error { #expect(code == EACCES) } else { Issue.record("expected .unwritable") }
    }

    @Test("a file being replaced is the old one or the new one, never half of each")
    func replacedNotRewritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = PinStateFile(path: directory.file("gpio-state.json"))
        try file.save(["relay1": true])
        var before = stat()
        #expect(stat(file.path, &before) == 0)
        try file.save(["relay1": false])
        var after = stat()
        #expect(stat(file.path, &after) == 0)
        // A rename puts a new inode in place; writing in place would keep the old one.
        #expect(before.st_ino != after.st_ino)
    }
}
