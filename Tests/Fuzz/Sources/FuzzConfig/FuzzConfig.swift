// The configuration loader (SPEC §2) against arbitrary YAML.
//
// Any text either loads or is refused with errors that each name a key path,
// a line and a column inside the text. Files the configuration refers to
// (CA, certificates, secrets) come from a fake file system, so the fuzzer
// never touches the disk.

import PerchConfig

private struct FuzzFileSystem: ConfigurationFileSystem {
    func readFile(atPath path: String) throws(FileReadError) -> FileSnapshot {
        if path.hasSuffix("missing") { throw .notFound }
        return FileSnapshot(contents: Array("secret\n".utf8), permissions: path.hasSuffix("open") ? 0o644 : 0o600)
    }
}

private let loader = ConfigurationLoader(fileSystem: FuzzFileSystem(), hostName: { "fuzz-host" })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    // A real file must be UTF-8 (the loader refuses anything else before parsing).
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    // An upper bound on the lines YAML sees: every break it could count (YAML 1.1 §4.1.4).
    let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
    let lineCount = text.unicodeScalars.count(where: breaks.contains) + 1
    do {
        _ = try loader.load(yaml: text, fileName: "fuzz.yaml")
    } catch {
        precondition(!error.errors.isEmpty, "refused with no error")
        for problem in error.errors {
            precondition(problem.fileName == "fuzz.yaml")
            precondition(problem.location.line >= 1 && problem.location.line <= lineCount + 1, "line \(problem.location.line) of \(lineCount)")
            precondition(problem.location.column >= 1, "column \(problem.location.column)")
            _ = "\(problem)"
        }
    }
    return 0
}
