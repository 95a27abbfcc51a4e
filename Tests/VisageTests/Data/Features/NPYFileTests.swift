import Foundation
import Testing
@testable import Visage

@Suite("NPYFile")
struct NPYFileTests {
    static let source = URL(fileURLWithPath: "/f/x.npy")

    /// An `.npy` file of `version` with header `header` (padded as NumPy does) followed by `payload`.
    static func npy(version: UInt8 = 1, header: String, payload: [UInt8]) -> Data {
        let prefixLength = version == 1 ? 10 : 12
        var text = header
        text += String(repeating: " ", count: (64 - (prefixLength + text.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = text.utf8.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0]
        return Data(bytes + Array(text.utf8) + payload)
    }

    static func littleEndian(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    @Test("versions 1, 2 and 3 with float32 data decode", arguments: [1, 2, 3] as [UInt8])
    func versions(version: UInt8) throws {
        let values: [Float] = [1, -2.5, 3e-7, .greatestFiniteMagnitude, 0, 42]
        let data = Self.npy(version: version, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                            payload: Self.littleEndian(values))
        let matrix = try NPYFile.decodeMatrix(data, source: Self.source)
        #expect(matrix.rows == 2 && matrix.columns == 3 && matrix.values == values)
        #expect(Array(matrix.row(1)) == [.greatestFiniteMagnitude, 0, 42])
    }

    @Test("float64 is converted, key order and Python 2 longs do not matter")
    func float64() throws {
        let data = Self.npy(header: "{\"shape\": (3L, 1L), \"fortran_order\": False, \"descr\": \"<f8\"}",
                            payload: Self.littleEndian([0.1, -7, 1e300] as [Double]))
        let matrix = try NPYFile.decodeMatrix(data, source: Self.source)
        #expect(matrix.values == [Float(0.1), -7, .infinity])
        #expect(matrix.rows == 3 && matrix.columns == 1)
    }

    @Test("encoding round-trips and matches NumPy's layout")
    func roundTrip() throws {
        let matrix = try FeatureMatrix(rows: 3, columns: 2, values: [0.5, -1, 2, 3, 1e-3, 9])
        let data = NPYFile.encode(matrix)
        #expect(data.prefix(8) == Data([0x93] + Array("NUMPY".utf8) + [1, 0]))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }") && header.hasSuffix("\n"))
        #expect(data.count == 10 + headerLength + 24)
        #expect(try NPYFile.decodeMatrix(data, source: Self.source) == matrix)

        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.npy")
        try NPYFile.write(matrix, to: url)
        #expect(try NPYFile.readMatrix(contentsOf: url) == matrix)
        let empty = try FeatureMatrix(rows: 0, columns: 128, values: [])
        #expect(try NPYFile.decodeMatrix(NPYFile.encode(empty), source: Self.source) == empty)
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var name: String
        var data: Data
        var fragment: String
        var testDescription: String { name }
    }

    static let floats = littleEndian([Float](repeating: 1, count: 6))
    static let malformed = [
        Malformed(name: "not NPY", data: Data("PK\u{3}\u{4} zip file".utf8), fragment: "magic"),
        Malformed(name: "version 4", data: npy(version: 4, header: "{}", payload: []), fragment: "version 4.0"),
        Malformed(name: "big-endian", data: npy(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }",
                                                payload: floats), fragment: "dtype '>f4'"),
        Malformed(name: "int32", data: npy(header: "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }",
                                           payload: floats), fragment: "dtype '<i4'"),
        Malformed(name: "Fortran order", data: npy(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                                                   payload: floats), fragment: "Fortran"),
        Malformed(name: "1-D", data: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }",
                                         payload: floats), fragment: "shape (6)"),
        Malformed(name: "truncated", data: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }",
                                               payload: floats), fragment: "truncated"),
        Malformed(name: "no shape", data: npy(header: "{'descr': '<f4', 'fortran_order': False}", payload: floats),
                  fragment: "no 'shape'"),
        Malformed(name: "garbled header", data: npy(header: "{'descr' '<f4'}", payload: floats), fragment: "cannot parse"),
        Malformed(name: "short header", data: Data([0x93] + Array("NUMPY".utf8) + [1, 0, 200, 0, 1]),
                  fragment: "ends inside the header"),
    ]

    @Test("unsupported or damaged files throw naming the file", arguments: malformed)
    func malformedInput(_ input: Malformed) {
        let error = #expect(throws: DataFileError.self) { try NPYFile.decodeMatrix(input.data, source: Self.source) }
        #expect(error?.file == Self.source.path)
        #expect(error?.message.contains(input.fragment) == true, "\(String(describing: error))")
    }
}
