/// A position in the configuration file, both numbers starting at 1.
///
/// Yams' `Mark` has no public initialiser, so the loader copies marks into this
/// type; that also keeps Yams out of the public API.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1, counted in Unicode scalars (as libyaml does).
    public var column: Int

    /// The top-left corner of a file: where errors about the whole file point.
    public static let start = SourceLocation(line: 1, column: 1)

    /// Creates a location from a line and a column, both starting at 1.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `LINE:COLUMN`.
    public var description: String { "\(line):\(column)" }

    /// Orders by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
