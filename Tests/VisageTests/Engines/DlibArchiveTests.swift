import Foundation
import Testing
@testable import Visage

@Suite("dlib archive")
struct DlibArchiveTests {
    private func archive(_ bytes: [UInt8]) -> DlibArchive {
        DlibArchive(bytes: bytes, file: URL(fileURLWithPath: "/tmp/model.dat"))
    }

    @Test("Packed integers: control byte with the byte count and sign, then little-endian magnitude")
    func integers() throws {
        var reader = archive([0x00, 0x01, 0x05, 0x81, 0x05, 0x02, 0x34, 0x12, 0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(try reader.readInt() == 0)
        #expect(try reader.readInt() == 5)
        #expect(try reader.readInt() == -5)
        #expect(try reader.readInt() == 0x1234)
        #expect(try reader.readInt() == -Int64.max)
        #expect(reader.isAtEnd)
    }

    @Test("Floats are mantissa · 2^exponent, with dlib's codes for infinities and NaN")
    func floats() throws {
        // 3 · 2^-1 = 1.5; -1 · 2^3 = -8; +inf (exponent 32000 = 0x7D00); NaN (32002 = 0x7D02).
        var reader = archive([0x01, 0x03, 0x81, 0x01, 0x81, 0x01, 0x01, 0x03, 0x01, 0x01, 0x02, 0x00, 0x7D,
                              0x01, 0x01, 0x02, 0x02, 0x7D])
        #expect(try reader.readDouble() == 1.5)
        #expect(try reader.readDouble() == -8)
        #expect(try reader.readDouble() == .infinity)
        #expect(try reader.readDouble().isNaN)
    }

    @Test("Strings, bools, matrices and version-2 tensors")
    func composites() throws {
        var bytes: [UInt8] = [0x01, 0x03] + Array("con".utf8) + [UInt8(ascii: "1"), UInt8(ascii: "0")]
        bytes += [0x81, 0x01, 0x81, 0x02] + [0x01, 0x01, 0x00, 0x81, 0x01, 0x01, 0x01]  // -1, -2, then 1·2^0 and -1·2^1
        bytes += [0x01, 0x02, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01, 0x01]  // version 2, 1×2×1×1
        for value: Float in [0.25, -3] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        var reader = archive(bytes)
        try reader.expectString("con")
        #expect(try reader.readBool() == true)
        #expect(try reader.readBool() == false)
        let matrix = try reader.readMatrix()
        #expect(matrix.rows == 1 && matrix.columns == 2 && matrix.values == [1, -2])
        let tensor = try reader.readTensor()
        #expect(tensor.shape == [1, 2, 1, 1] && tensor.values == [0.25, -3])
        #expect(reader.isAtEnd)
    }

    @Test("Truncated, foreign or oversized data throws naming the file and the offset")
    func badData() {
        var truncated = archive([0x04, 0x01, 0x02])
        let early = #expect(throws: DataFileError.self) { try truncated.readInt() }
        #expect(early!.file == "/tmp/model.dat" && early!.message.contains("at byte 1 of 3"))
        var control = archive([0x3F])
        #expect(throws: DataFileError.self) { try control.readInt() }
        var string = archive([0x01, 0x03] + Array("fc_".utf8))
        let mismatch = #expect(throws: DataFileError.self) { try string.expectString("con_") }
        #expect(mismatch!.message.contains("'fc_' where 'con_' belongs"))
        var hugeTensor = archive([0x01, 0x02, 0x04, 0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x10, 0x01, 0x01, 0x01, 0x01])
        #expect(throws: DataFileError.self) { try hugeTensor.readTensor() }
        var hugeMatrix = archive([0x84, 0xFF, 0xFF, 0xFF, 0x7F, 0x84, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: DataFileError.self) { try hugeMatrix.readMatrix() }
        var bool = archive([0x02])
        #expect(throws: DataFileError.self) { try bool.readBool() }
    }
}
