/// An input line requested through libgpiod for both edges, held until
/// `release()` or until nothing refers to it any more.
///
/// The read source's handlers hold the `LibGPIODEdgeWatch`, never this
/// object, so dropping the line releases it even while it is watched.
final class LibGPIODInputLine: GPIOInputLine {
    /// The request and its read source.
    private let watch: LibGPIODEdgeWatch

    /// Wraps a started watch.
    init(watch: LibGPIODEdgeWatch) {
        self.watch = watch
    }

    deinit {
        watch.release()
    }

    func isActive() throws(GPIOError) -> Bool {
        try watch.isActive()
    }

    func release() {
        watch.release()
    }
}
