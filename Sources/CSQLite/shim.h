// The SQLite C API as Perch's Storage target sees it.
//
// Swift cannot import SQLITE_TRANSIENT (a macro casting -1 to a function
// pointer), so the binds that need it are wrapped here: SQLite copies the bytes
// before the call returns, and the Swift buffer may go away right after.
#ifndef PERCH_CSQLITE_SHIM_H
#define PERCH_CSQLITE_SHIM_H

#include <sqlite3.h>

static inline int perch_sqlite3_bind_text_transient(sqlite3_stmt *statement, int index, const char *text, int byteCount) {
    return sqlite3_bind_text(statement, index, text, byteCount, SQLITE_TRANSIENT);
}

static inline int perch_sqlite3_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes, sqlite3_uint64 byteCount) {
    return sqlite3_bind_blob64(statement, index, bytes, byteCount, SQLITE_TRANSIENT);
}

#endif
