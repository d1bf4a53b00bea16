import Yams

/// Turns YAML text into a Yams node tree in which every node keeps its mark,
/// reporting syntax errors and duplicate keys with line and column.
///
/// Yams refuses a mapping with a duplicate key outright and only says where
/// the first occurrence is. To report the duplicate at the right spot and
/// still check the rest of the file in the same pass, the first occurrence is
/// renamed (a marker is appended) and the text composed again; decoding then
/// skips renamed keys.
enum YAMLDocument {
    /// Appended to the first occurrence of a duplicate key. `~` is valid
    /// inside a plain YAML scalar and no Perch key contains it.
    static let duplicateMarker = "~perch-duplicate"

    /// Duplicates handled in one file before giving up; bounds the re-parsing.
    private static let maximumDuplicates = 50

    /// The root node (`nil` for an empty file), or `nil` and an error in `context`.
    static func compose(_ text: String, context: DecodingContext) -> (root: Node?, isValid: Bool) {
        var text = text
        for round in 0..<maximumDuplicates {
            do {
                let root = try Yams.compose(yaml: text)
                if let root { reportDuplicates(in: root, path: "", context: context) }
                return (root, true)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, yamlContext) {
                let location = SourceLocation(line: yamlContext.mark.line, column: yamlContext.mark.column)
                let suffix = duplicateMarker + String(round)
                guard let key = duplicates.sorted().first,
                      let (renamed, insertion) = rename(key: key, at: location, in: text, suffix: suffix) else {
                    context.error("", location, "duplicate key \"\(duplicates.sorted().joined(separator: "\", \""))\"")
                    return (nil, false)
                }
                text = renamed
                context.insertions.append(insertion)
            } catch {
                reportSyntaxError(error, context: context)
                return (nil, false)
            }
        }
        context.error("", .start, "more than \(maximumDuplicates) duplicate keys")
        return (nil, false)
    }

    /// The text with `suffix` inserted after the key that starts at `location`
    /// (inside its quotes, if quoted), and where; `nil` if the key is not found there.
    private static func rename(key: String, at location: SourceLocation, in text: String, suffix: String) -> (String, TextInsertion)? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        guard location.line >= 1, location.line <= lines.count else { return nil }
        var line = lines[location.line - 1]
        var start = location.column - 1
        guard start >= 0, start < line.count else { return nil }
        if line[start] == "\"" || line[start] == "'" { start += 1 }
        let keyScalars = Array(key.unicodeScalars)
        guard start + keyScalars.count <= line.count,
              Array(line[start..<(start + keyScalars.count)]) == keyScalars else { return nil }
        let insertionIndex = start + keyScalars.count
        line.insert(contentsOf: suffix.unicodeScalars, at: insertionIndex)
        lines[location.line - 1] = line
        let insertion = TextInsertion(line: location.line, column: insertionIndex + 1, length: suffix.unicodeScalars.count)
        return (lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n"), insertion)
    }

    /// Reports every renamed key as a duplicate of its later sibling.
    private static func reportDuplicates(in node: Node, path: String, context: DecodingContext) {
        switch node {
        case let .mapping(mapping):
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                if let range = name.firstRange(of: duplicateMarker) {
                    let original = String(name[..<range.lowerBound])
                    let first = context.originalLocation(SourceLocation(mark: key.mark))
                    let later = mapping.first { $0.key.scalar?.string == original }?.key
                    context.error(KeyPath.child(path, original), SourceLocation(mark: later?.mark),
                                  "duplicate key \"\(original)\" (first defined at \(first))")
                } else {
                    reportDuplicates(in: value, path: KeyPath.child(path, name), context: context)
                }
            }
        case let .sequence(sequence):
            for (index, element) in sequence.enumerated() {
                reportDuplicates(in: element, path: KeyPath.index(path, index), context: context)
            }
        case .scalar, .alias:
            break
        }
    }

    private static func reportSyntaxError(_ error: any Error, context: DecodingContext) {
        guard let yamlError = error as? YamlError else {
            context.error("", .start, "cannot parse YAML: \(error)")
            return
        }
        switch yamlError {
        case let .scanner(yamlContext, problem, mark, _),
             let .parser(yamlContext, problem, mark, _),
             let .composer(yamlContext, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let yamlContext {
                let started = context.originalLocation(SourceLocation(line: yamlContext.mark.line, column: yamlContext.mark.column))
                message += " (\(yamlContext.text) at \(started))"
            }
            context.error("", SourceLocation(line: mark.line, column: mark.column), message)
        case let .reader(problem, offset, _, yaml):
            context.error("", location(ofOffset: offset, in: yaml), "cannot read YAML: \(problem)")
        default:
            context.error("", .start, "cannot parse YAML: \(yamlError)")
        }
    }

    /// The line and column of a character offset, or 1:1 if unknown.
    private static func location(ofOffset offset: Int?, in text: String) -> SourceLocation {
        guard let offset else { return .start }
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}

/// Text inserted into the YAML to rename a duplicate key; positions after it
/// on the same line are shifted by `length` until mapped back.
struct TextInsertion {
    var line: Int
    var column: Int
    var length: Int
}

extension SourceLocation {
    /// The location of a Yams mark; 1:1 when the node has none.
    init(mark: Mark?) {
        self.init(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }
}
