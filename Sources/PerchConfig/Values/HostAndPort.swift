/// Splitting `host:port` and `[v6]:port`, shared by broker URLs and listen addresses.
enum HostAndPort {
    /// The host could not be told apart from the port.
    struct SplitError: Error {}

    /// The host (brackets removed) and the port text, if any.
    static func split(_ text: Substring) -> Result<(host: String, port: Substring?), SplitError> {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(SplitError()) }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard !host.isEmpty, host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return .failure(SplitError())
            }
            if after.isEmpty { return .success((String(host), nil)) }
            guard after.hasPrefix(":") else { return .failure(SplitError()) }
            return .success((String(host), after.dropFirst()))
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2,
              host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
            return .failure(SplitError())
        }
        return .success((String(host), parts.count == 2 ? parts[1] : nil))
    }

    /// A port number 0…65535 written in decimal digits, or `nil`.
    static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(text), port <= 65_535 else { return nil }
        return port
    }
}
