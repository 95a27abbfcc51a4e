import Foundation
import Testing
@testable import Visage

/// Declared lengths and sizes must not turn into allocations before the data behind them has been seen.
@Suite("Decoder memory stays bounded")
struct DecoderMemoryTests {
    /// Found by scripts/fuzz-decoders.sh: 56 bytes whose zTXt chunk declares 0x68686868 bytes (1.75 GB); libpng
    /// allocated the whole chunk before reading it.
    static let fuzzedZTXt: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x07, 0x10, 0x00, 0x00, 0x00, 0x00, 0xAF, 0x60, 0xE4,
        0xFF, 0x00, 0x00, 0x00, 0x02, 0x74, 0x52, 0x4E, 0x53, 0x68, 0x68, 0x68, 0x68, 0x68, 0x68, 0x68,
        0x68, 0x68, 0x68, 0x7A, 0x54, 0x58, 0x74, 0x82,
    ]

    /// A valid IHDR followed by an ancillary chunk of `type` that declares 1.8 GB and holds 16 bytes.
    static func hugeChunk(_ type: String) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + PNGFixture.chunk("IHDR", PNGFixture.ihdr(width: 8, height: 8, bitDepth: 8, colorType: 0, interlaced: false))
            + PNGFixture.bigEndian(0x7000_0000) + Array(type.utf8) + [UInt8](repeating: 0x41, count: 16)
    }

    static let inputs: [(name: String, bytes: [UInt8])] =
        [("fuzzed-ztxt.png", fuzzedZTXt)]
        + ["zTXt", "iTXt", "tEXt", "iCCP", "sPLT", "eXIf", "caNv"].map { ("\($0).png", hugeChunk($0)) }

    @Test("huge declared chunk lengths are refused as truncated without allocating them",
          .enabled(if: ProcessMemory.isAvailable))
    func hugeChunkLengths() async {
        // In a fresh process, so that no other test's allocations have already raised the peak.
        await #expect(processExitsWith: .success) {
            guard let before = ProcessMemory.peakVirtual() else { exit(10) }
            for (index, input) in DecoderMemoryTests.inputs.enumerated() {
                do {
                    _ = try ImageCodec.decode(input.bytes, name: input.name)
                    exit(Int32(20 + index))
                } catch let error as ImageError where error.file == input.name && error.reason.contains("truncated") {
                } catch {
                    print("\(input.name): \(error)")
                    exit(Int32(40 + index))
                }
                guard let after = ProcessMemory.peakVirtual() else { exit(11) }
                if after - before > 256 << 20 {
                    print("\(input.name): peak virtual memory grew by \((after - before) >> 20) MiB")
                    exit(Int32(60 + index))
                }
            }
            exit(0)
        }
    }
}
