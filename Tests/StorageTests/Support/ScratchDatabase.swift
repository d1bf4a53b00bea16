import PerchTestKit
import Storage

/// A fresh SQLite file in a temporary directory, for one test.
final class ScratchDatabase {
    let directory: TemporaryDirectory
    let path: String

    init(name: String = "test.db") throws {
        directory = try TemporaryDirectory(prefix: "perch-storage")
        path = directory.file(name)
    }

    /// Opens a connection to the file (creating it the first time).
    func open(_ options: SQLiteDatabase.Options = SQLiteDatabase.Options()) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: path, options: options)
    }

    deinit { directory.remove() }
}
