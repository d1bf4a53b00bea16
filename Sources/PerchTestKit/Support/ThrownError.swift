/// The error `body` throws, when it is an `E`; `nil` when it throws nothing
/// (or something else).
///
/// Tests read the error a call throws as `try #require(thrownError(E.self) { … })`
/// rather than with the value `#require(throws:)` returns: that value came with
/// Swift Testing 6.1, and Perch builds with Debian 13's Swift 6.0.3 too, where
/// `#require(throws:)` returns nothing.
public func thrownError<E: Error, R>(_ type: E.Type, _ body: () throws -> R) -> E? {
    do {
        _ = try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}

/// `thrownError(_:_:)` for an asynchronous `body`.
public func thrownError<E: Error, R>(_ type: E.Type, _ body: () async throws -> R) async -> E? {
    do {
        _ = try await body()
        return nil
    } catch let error as E {
        return error
    } catch {
        return nil
    }
}
