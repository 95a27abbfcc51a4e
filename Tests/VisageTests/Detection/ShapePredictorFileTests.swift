import Foundation
import Testing
@testable import Visage

/// Writes dlib's serialization, for making small model files in tests.
struct DlibWriter {
    var bytes = [UInt8]()

    mutating func int(_ value: Int64) {
        var magnitude = value.magnitude, payload = [UInt8]()
        while magnitude > 0 {
            payload.append(UInt8(magnitude & 0xFF))
            magnitude >>= 8
        }
        bytes.append(UInt8(payload.count) | (value < 0 ? 0x80 : 0))
        bytes += payload
    }

    /// `value` as mantissa · 2^−20 (exact for the binary fractions the tests use).
    mutating func float(_ value: Float) {
        int(Int64(value * 1_048_576))
        int(-20)
    }

    mutating func column(_ values: [Float]) {
        int(-Int64(values.count))
        int(-1)
        values.forEach { float($0) }
    }
}

@Suite("ShapePredictor file")
struct ShapePredictorFileTests {
    /// Two landmarks at (0.25, 0.5) and (0.75, 0.5) of the box; one cascade of one depth-1 tree comparing the
    /// pixels under them: brighter left pixel → the points move apart vertically, else together horizontally.
    static func model(version: Int64 = 1, splitFeature: Int64 = 1, trailing: [UInt8] = []) -> [UInt8] {
        var writer = DlibWriter()
        writer.int(version)
        writer.column([0.25, 0.5, 0.75, 0.5])
        writer.int(1)  // cascades
        writer.int(1)  // trees
        writer.int(1)  // splits
        writer.int(0)
        writer.int(splitFeature)
        writer.float(10)
        writer.int(2)  // leaves
        writer.column([0, -0.25, 0, 0.25])
        writer.column([0.125, 0, -0.125, 0])
        writer.int(1)  // anchor lists
        writer.int(2)
        writer.int(0)
        writer.int(1)
        writer.int(1)  // offset lists
        writer.int(2)
        for _ in 0..<4 { writer.float(0) }
        return writer.bytes + trailing
    }

    static func read(_ bytes: [UInt8]) throws -> ShapePredictor {
        var archive = DlibArchive(bytes: bytes, file: URL(fileURLWithPath: "/tmp/model.dat"))
        return try ShapePredictor.read(from: &archive)
    }

    @Test("a small model is read and run as dlib runs it")
    func smallModel() throws {
        let predictor = try Self.read(Self.model())
        #expect(predictor.partCount == 2 && predictor.cascadeCount == 1 && predictor.treeCount == 1)
        var image = Image(width: 9, height: 9, channels: 1)
        let box = FaceBox(left: 0, top: 0, right: 8, bottom: 8)
        // Features are the pixels at (2, 4) and (6, 4): 200 − 10 > 10 takes the left leaf.
        image[2, 4, 0] = 200
        image[6, 4, 0] = 10
        #expect(predictor.predict(image, box: box) == [SIMD2(2, 2), SIMD2(6, 6)])
        image[2, 4, 0] = 20
        #expect(predictor.predict(image, box: box) == [SIMD2(3, 4), SIMD2(5, 4)])
        // Colour is read as ⌊(r + g + b)/3⌋: (200 + 200 + 201)/3 = 200.
        var colour = image.converted(toChannels: 3)
        colour[2, 4, 0] = 200
        colour[2, 4, 1] = 200
        colour[2, 4, 2] = 201
        #expect(predictor.predict(colour, box: box) == [SIMD2(2, 2), SIMD2(6, 6)])
        // A box partly outside the image reads 0 there: the left point's pixel is at (−2, 4).
        #expect(predictor.predict(image, box: FaceBox(left: -4, top: 0, right: 4, bottom: 8))
                == [SIMD2(-1, 4), SIMD2(1, 4)])
    }

    @Test("every truncation of the file throws a DataFileError naming it")
    func truncated() {
        let bytes = Self.model()
        for length in 0..<bytes.count {
            #expect(throws: DataFileError.self, "cut at \(length)") { try Self.read(Array(bytes.prefix(length))) }
        }
        #expect((try? Self.read(bytes)) != nil)
    }

    @Test("another version, trailing data or a split beyond the sampled pixels are refused")
    func inconsistent() throws {
        for bytes in [Self.model(version: 2), Self.model(trailing: [0]), Self.model(splitFeature: 2)] {
            let error = #expect(throws: DataFileError.self) { try Self.read(bytes) }
            #expect(error?.file == "/tmp/model.dat")
        }
        let missing = URL(fileURLWithPath: "/nonexistent/shape_predictor.dat")
        #expect(throws: DataFileError.self) { try ShapePredictor.load(from: missing) }
    }
}
