/// Small pieces of YAML syntax for the renderer.
enum YAMLText {
    /// A double-quoted YAML string (YAML 1.2 §5.7 escapes), safe for any text.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\0": result += "\\0"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A flow list of quoted strings: `["a", "b"]`.
    static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    /// A flow mapping from already rendered values: `{ a: 1, b: 2 }`.
    static func flow(_ pairs: [(String, String)]) -> String {
        "{ " + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + " }"
    }
}

/// Lines of YAML with indentation by nesting level.
struct YAMLLines {
    private(set) var lines: [String] = []

    mutating func add(_ level: Int, _ text: String) {
        lines.append(String(repeating: "  ", count: level) + text)
    }

    mutating func blank() {
        lines.append("")
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
