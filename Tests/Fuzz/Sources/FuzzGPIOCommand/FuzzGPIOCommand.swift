// The GPIO command payload (SPEC §6) and the simulated chip's control line.
//
// A parse either succeeds or names what is wrong; a pulse is always within
// the documented range; and the control line parser never returns a line
// outside the chip.

import GPIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGPIOCommand(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    switch GPIOCommand.parse(bytes) {
    case let .success(.pulse(duration)):
        let range = GPIOCommand.pulseMillisecondsRange
        precondition(duration >= .milliseconds(range.lowerBound) && duration <= .milliseconds(range.upperBound), "pulse \(duration) outside the range")
    case .success:
        precondition(bytes.count <= GPIOCommand.maximumPayloadLength, "accepted a payload longer than the limit")
    case let .failure(error):
        _ = "\(error)"
    }
    let line = String(decoding: bytes, as: UTF8.self)
    if let command = try? SimulatedControlCommand.parse(Substring(line)) {
        precondition((0..<SimulatedChip.lineCount).contains(command.offset), "line \(command.offset) is off the chip")
    }
    return 0
}
