import PerchConfig

/// A file system held in a dictionary, so that loads do not depend on the
/// machine running the tests.
struct InMemoryFileSystem: ConfigurationFileSystem {
    var files: [String: FileSnapshot]

    init(_ files: [String: FileSnapshot] = [:]) {
        self.files = files
    }

    /// The files the corpus and most tests expect: Debian's CA bundle and one
    /// private password file.
    static let standard = InMemoryFileSystem([
        "/etc/ssl/certs/ca-certificates.crt": FileSnapshot(contents: Array("-----BEGIN CERTIFICATE-----\n".utf8), permissions: 0o644),
        "/etc/perch/present.password": FileSnapshot(contents: Array("s3cret\n".utf8), permissions: 0o600),
    ])

    func readFile(atPath path: String) throws(FileReadError) -> FileSnapshot {
        guard let file = files[path] else { throw .notFound }
        return file
    }
}

extension ConfigurationLoader {
    /// A loader that sees only `fileSystem` and the host name `test-host`.
    static func deterministic(_ fileSystem: InMemoryFileSystem = .standard) -> ConfigurationLoader {
        ConfigurationLoader(fileSystem: fileSystem, hostName: { "test-host" })
    }
}
