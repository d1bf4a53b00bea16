/// The kernel's count of datagrams dropped at a UDP socket because its receive
/// buffer was full: the `drops` column of `/proc/net/udp` (proc(5)).
enum UDPDrops {
    /// The drops of every IPv4 UDP socket bound to local `port` (perchd's listener); nil if none is found.
    static func read(port: Int) -> Int? {
        guard let table = try? ProcFile.read("/proc/net/udp") else { return nil }
        let wanted = ":" + String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        var total: Int?
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl, local_address, rem_address, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode, ref, pointer, drops
            guard fields.count >= 13, fields[1].hasSuffix(wanted), fields[2] == "00000000:0000",
                let drops = Int(fields[fields.count - 1])
            else { continue }
            total = (total ?? 0) + drops
        }
        return total
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
