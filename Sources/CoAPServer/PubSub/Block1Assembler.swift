/// Reassembles block-wise request bodies (RFC 7959 §2.5, Block1) for the
/// `/ps` handler, in Swift, instead of libcoap's COAP_BLOCK_SINGLE_BODY.
///
/// Why: libcoap 4.3.1 (Debian 12) builds the single body only when the first
/// block carries Size1, which is optional (RFC 7959 §4). Without it,
/// `coap_block_build_body` returns NULL for every block, the library falls
/// through to the handler with each block as if it were a whole request, and
/// its half-made transfer state then meets the handler's async (separate)
/// response: every block was published as its own message and perchd died of
/// SIGSEGV inside libcoap on the second one (issue 20). With plain
/// COAP_BLOCK_USE_LIBCOAP the library hands each block to the handler once,
/// echoes Block1 and turns a 2.xx answer to a non-final block into 2.31
/// Continue; this type keeps the blocks until the last one.
///
/// Blocks must come in order (a client may repeat the last one, which is
/// answered again without being appended); a gap is 4.08 Request Entity
/// Incomplete (RFC 7959 §2.9.2). At most `maximumTransfers` bodies are
/// assembled at once and each lives at most `lifetime` (RFC 7252 §4.8.2's
/// EXCHANGE_LIFETIME is 247 s) after its last block, so a client that starts
/// and never finishes costs bounded memory; `maximumBytes` bounds each body
/// (4.13 with Size1 above it, RFC 7959 §2.9.3).
struct Block1Assembler {
    /// One transfer: the peer (libcoap's session) and the path it writes to.
    struct Key: Hashable {
        var session: UInt
        var path: String
    }

    /// What the handler answers to one block.
    enum Outcome: Equatable {
        /// A block before the last: answer 2.xx (libcoap sends 2.31 Continue).
        case needMore
        /// The last block: the whole body, in order.
        case complete([UInt8])
        /// A block out of order, or one of a transfer that is not known: 4.08.
        case incomplete
        /// The body would exceed `maximumBytes`: 4.13.
        case tooLarge
    }

    private struct Transfer {
        var body: [UInt8]
        /// The offset of the last block appended, to recognise its repetition.
        var lastOffset: Int
        var lastUsed: ContinuousClock.Instant
    }

    let maximumBytes: Int
    let maximumTransfers: Int
    let lifetime: Duration
    private var transfers: [Key: Transfer] = [:]

    init(maximumBytes: Int, maximumTransfers: Int = 64, lifetime: Duration = .seconds(247)) {
        self.maximumBytes = maximumBytes
        self.maximumTransfers = maximumTransfers
        self.lifetime = lifetime
    }

    /// Transfers under way.
    var count: Int { transfers.count }

    /// Block `number` (size 2^(szx+4), RFC 7959 §2.2) of `key`'s body, `more`
    /// when others follow.
    mutating func add(
        _ key: Key, number: UInt32, more: Bool, szx: UInt8, payload: [UInt8], now: ContinuousClock.Instant
    ) -> Outcome {
        expire(now: now)
        guard szx < 7 else { return .incomplete }  // 7 is BERT, not for UDP (RFC 8323 §6)
        let (offset, overflow) = Int(number).multipliedReportingOverflow(by: 1 << (Int(szx) + 4))
        guard !overflow else { return .incomplete }
        if number == 0 {
            // A new body (or the first block again): start over.
            transfers[key] = nil
            guard payload.count <= maximumBytes else { return .tooLarge }
            guard more else { return .complete(payload) }
            makeRoom()
            transfers[key] = Transfer(body: payload, lastOffset: 0, lastUsed: now)
            return .needMore
        }
        guard var transfer = transfers[key] else { return .incomplete }
        if more, offset == transfer.lastOffset, transfer.body.count == offset + payload.count {
            // The previous block again (its 2.31 was lost): answer it again.
            transfer.lastUsed = now
            transfers[key] = transfer
            return .needMore
        }
        guard offset == transfer.body.count else {
            transfers[key] = nil
            return .incomplete
        }
        guard transfer.body.count + payload.count <= maximumBytes else {
            transfers[key] = nil
            return .tooLarge
        }
        transfer.body += payload
        transfer.lastOffset = offset
        transfer.lastUsed = now
        guard more else {
            transfers[key] = nil
            return .complete(transfer.body)
        }
        transfers[key] = transfer
        return .needMore
    }

    /// Forgets every transfer of `session` (it is going away).
    mutating func removeAll(session: UInt) {
        transfers = transfers.filter { $0.key.session != session }
    }

    /// Forgets everything.
    mutating func removeAll() {
        transfers.removeAll()
    }

    private mutating func expire(now: ContinuousClock.Instant) {
        guard !transfers.isEmpty else { return }
        transfers = transfers.filter { now - $0.value.lastUsed < lifetime }
    }

    /// At the bound, the transfer idle longest makes way.
    private mutating func makeRoom() {
        guard transfers.count >= maximumTransfers,
              let oldest = transfers.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { return }
        transfers[oldest] = nil
    }
}
