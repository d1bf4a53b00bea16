extension SQLiteDatabase {
    /// `PRAGMA quick_check`: the problems SQLite finds in the file's structure
    /// (pages, cells, free list; not index contents), at most `limit` of them;
    /// empty when the file is sound.
    ///
    /// O(file size): every page is read once. Run at start, not on a hot path.
    public func quickCheck(limit: Int = 10) throws -> [String] {
        var problems: [String] = []
        try withStatement("PRAGMA quick_check(\(max(1, limit)))") { statement in
            while try statement.step() {
                problems.append(statement.text(at: 0))
            }
        }
        return problems == ["ok"] ? [] : problems
    }
}
