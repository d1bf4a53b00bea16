/// Building key paths such as `uplink.tls.ca_file` and `gpio.pins[1].line`.
enum KeyPath {
    /// `parent.key`, or `key` at the root.
    static func child(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    /// `parent[index]`.
    static func index(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }
}
