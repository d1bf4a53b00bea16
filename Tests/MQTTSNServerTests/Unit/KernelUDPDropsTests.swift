@testable import MQTTSNServer
import NIOPosix
import Testing

@Suite("Kernel drops from /proc/net/udp")
struct KernelUDPDropsTests {
    static let table = """
           sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          123: 0100007F:075C 00000000:0000 07 00000000 00000000 00:00000000 00000000  1000        0 41233 2 0000000000000000 17
          124: 00000000:075C 00000000:0000 07 00000000 00000000 00:00000000 00000000  1000        0 41234 2 0000000000000000 3
          125: 00000000:0044 00000000:0000 07 00000000 00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 999
        """

    @Test("sums the drops column over the rows of our local ports only")
    func sumsOurPorts() {
        #expect(KernelUDPDrops.drops(inTable: Self.table, localPorts: [0x075C]) == 20)
        #expect(KernelUDPDrops.drops(inTable: Self.table, localPorts: [0x0044, 0x075C]) == 1019)
        #expect(KernelUDPDrops.drops(inTable: Self.table, localPorts: [1]) == 0)
    }

    @Test("a table without a drops column gives nil rather than a wrong zero")
    func noDropsColumn() {
        #expect(KernelUDPDrops.drops(inTable: "sl local_address\n 1: 0100007F:075C\n", localPorts: [0x075C]) == nil)
        #expect(KernelUDPDrops.drops(inTable: "", localPorts: [1]) == nil)
    }

    @Test("reads the live tables on Linux")
    func live() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let drops = await KernelUDPDrops.read(localPorts: [1], threadPool: pool)
        try await pool.shutdownGracefully()
        #if os(Linux)
        #expect(drops == 0)
        #endif
    }
}
