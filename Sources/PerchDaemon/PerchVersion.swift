/// Perch's version, shown by `perchd --version` and in the status document.
public enum PerchVersion {
    /// The release this tree builds.
    public static let current = "0.1.0"
}
