import Logging

/// Renders one log event as exactly one line.
enum JournalLogLine {
    /// `PREFIXlabel: message key=value …\n`, metadata sorted by key so lines are stable and greppable.
    static func render(
        style: JournalLogStyle, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = style.prefix(for: level) + label + ": " + escapeMessage(message)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " " + key + "=" + quoteIfNeeded(value.description)
        }
        return line + "\n"
    }

    /// Escapes control characters so a multi-line message stays on one line; everything else is kept as written.
    static func escapeMessage(_ text: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            appendEscaped(scalar, to: &escaped)
        }
        return escaped
    }

    /// Quotes a metadata value that would otherwise be ambiguous (spaces, `=`, quotes, empty, control characters).
    static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || isControl(scalar)
        }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: appendEscaped(scalar, to: &quoted)
            }
        }
        return quoted + "\""
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to output: inout String) {
        switch scalar {
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        case _ where isControl(scalar):
            output += "\\u{" + String(scalar.value, radix: 16) + "}"
        default: output.unicodeScalars.append(scalar)
        }
    }

    /// C0, DEL, C1 and the Unicode line/paragraph separators: anything a reader might treat as a line break.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
