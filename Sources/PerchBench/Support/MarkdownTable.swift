/// A Markdown table, printed with padded columns so it reads well in a terminal too.
struct MarkdownTable {
    /// How a column's cells line up.
    enum Alignment {
        case left
        case right
    }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        headers = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as Markdown text, one line per row, with a trailing newline.
    func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = headers.indices.map { column -> String in
                let cell = column < cells.count ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignments[column] == .left ? cell + padding : padding + cell
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = headers.indices.map { column -> String in
            // The rule spans the cell and its two spaces of padding.
            let dashes = String(repeating: "-", count: max(widths[column], 3) + 1)
            return alignments[column] == .left ? dashes + "-" : dashes + ":"
        }
        return ([line(headers), "|" + rule.joined(separator: "|") + "|"] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }
}
