/// Secrets with an inline and a `*_file` form, and files that must exist.
extension DecodingContext {
    /// `inlineKey` or `fileKey` of `mapping`; `nil` when neither is set or
    /// after recording an error (both set, unreadable file). A file is read now, one trailing newline removed, and a warning
    /// given when others can read it.
    func secret(in mapping: MappingReader, inlineKey: String, fileKey: String) -> Secret? {
        let inline = mapping[inlineKey]
        let file = mapping[fileKey]
        switch (inline, file) {
        case (nil, nil):
            return nil
        case let (inline?, file?):
            error(file, "set either \(inlineKey) or \(fileKey), not both (\(inlineKey) is at \(originalLocation(inline.location)))")
            return nil
        case let (inline?, nil):
            guard let value = string(inline) else { return nil }
            return Secret(value: value, source: .inline)
        case let (nil, file?):
            guard let path = nonEmptyString(file), let snapshot = readFile(path, for: file) else { return nil }
            warnIfReadableByOthers(snapshot, path: path, node: file)
            var bytes = snapshot.contents[...]
            if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            guard let value = String(validating: bytes, as: UTF8.self) else {
                error(file, "\(path) is not UTF-8 text")
                return nil
            }
            guard !value.isEmpty else {
                error(file, "\(path) is empty")
                return nil
            }
            return Secret(value: value, source: .file(path: path))
        }
    }

    /// A path whose file must be readable now (CA bundle, certificate, key).
    func readableFile(_ node: ConfigNode, isPrivate: Bool = false) -> String? {
        guard let path = nonEmptyString(node), let snapshot = readFile(path, for: node) else { return nil }
        if isPrivate { warnIfReadableByOthers(snapshot, path: path, node: node) }
        return path
    }

    /// Checks a default path the user did not write, reporting at `location`.
    func checkDefaultFile(_ path: String, keyPath: String, location: SourceLocation) {
        do {
            _ = try fileSystem.readFile(atPath: path)
        } catch {
            self.error(keyPath, location, "cannot read the default \(path): \(error); set \(keyPath)")
        }
    }

    private func readFile(_ path: String, for node: ConfigNode) -> FileSnapshot? {
        do {
            return try fileSystem.readFile(atPath: path)
        } catch {
            self.error(node, "cannot read \(path): \(error)")
            return nil
        }
    }

    private func warnIfReadableByOthers(_ snapshot: FileSnapshot, path: String, node: ConfigNode) {
        guard snapshot.isReadableByOthers else { return }
        warning(node.path, node.location, "\(path) is readable by other users; run chmod 600 \(path)")
    }
}
