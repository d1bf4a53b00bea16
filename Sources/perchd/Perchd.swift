import ArgumentParser
import PerchDaemon

/// The `perchd` executable: the command and everything it runs live in
/// PerchDaemon, where they are tested; this only marks the entry point.
@main
extension PerchCommand {}
