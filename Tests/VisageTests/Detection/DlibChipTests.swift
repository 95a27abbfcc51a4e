import Foundation
import Testing
@testable import Visage

/// dlib's face chips (`get_face_chip_details(shape, 150, 0.25)` + `extract_image_chip`) reproduced natively.
///
/// Synthetic inputs are checked pixel by pixel against dlib's chips committed beside the fixture (within one grey
/// level); for the real photos only a checksum of dlib's chip may be committed, so they are checked by the
/// chip rectangle and angle, the pixel sum (within one level per pixel on average) and, where the checksum
/// matches, exactly. Setting `VISAGE_DLIB_CHIP_DIR` to the folder the fixture script's `--chips` wrote checks
/// the real chips pixel by pixel too.
@Suite("DlibChip")
struct DlibChipTests {
    static func check(_ reference: DetectionFixtures.Reference.Case) throws -> (Image, DlibChip.Details) {
        let details = try DlibChip.details(for: reference.chipSource)
        let expected = reference.chip
        #expect(details.rows == expected.rows && details.columns == expected.columns)
        for (value, dlib) in zip([details.left, details.top, details.right, details.bottom, details.angle],
                                 expected.rect + [expected.angle]) {
            #expect(abs(value - dlib) < 1e-9, "\(reference.image): chip details \(details) vs \(expected)")
        }
        return (try DlibChip.extract(try DetectionFixtures.image(for: reference), details), details)
    }

    @Test("synthetic images, including large rotated faces cut through the pyramid: within one grey level")
    func synthetic() throws {
        for reference in try DetectionFixtures.reference().cases where reference.isSynthetic {
            let (chip, _) = try Self.check(reference)
            let png = try #require(reference.chip.png)
            let url = DetectionFixtures.engineFixtures.appendingPathComponent(png)
            let expected = try ImageCodec.decode(contentsOf: url)
            try #require(chip.width == expected.width && chip.height == expected.height
                         && chip.channels == expected.channels)
            let (maximum, differing) = DetectionFixtures.difference(chip, expected)
            print("\(reference.image) chip: \(differing) of \(chip.pixels.count) values differ, by at most \(maximum)")
            #expect(maximum <= 1, "\(reference.image)")
        }
    }

    @Test("real photos: dlib's chip rectangle, and its pixels within one grey level",
          .enabled(if: DetectionFixtures.hasSharedData))
    func photos() throws {
        let folder = ProcessInfo.processInfo.environment["VISAGE_DLIB_CHIP_DIR"].map { URL(fileURLWithPath: $0) }
        var exact = 0, count = 0, largest = 0
        for (index, reference) in try DetectionFixtures.reference().cases.enumerated() where !reference.isSynthetic {
            let (chip, _) = try Self.check(reference)
            let checksum = DetectionFixtures.checksum(chip)
            count += 1
            if checksum == reference.chip.checksum { exact += 1 }
            #expect(abs(checksum[0] - reference.chip.checksum[0]) <= Int64(chip.pixels.count), "\(reference.image)")
            if let folder {
                let expected = try ImageCodec.decode(contentsOf: folder.appendingPathComponent("\(index).png"))
                let (maximum, _) = DetectionFixtures.difference(chip, expected)
                largest = max(largest, maximum)
                #expect(maximum <= 1, "\(reference.image) (\(index).png)")
            }
        }
        print("dlib chips: \(exact) of \(count) identical" + (folder == nil ? "" : ", largest difference \(largest)"))
    }

    @Test("wrong point counts, coinciding points and empty chips are refused")
    func errors() throws {
        #expect(throws: AlignmentError.self) { try DlibChip.details(for: [SIMD2(1, 2)]) }
        #expect(throws: AlignmentError.self) { try DlibChip.details(for: Array(repeating: SIMD2(3, 3), count: 5)) }
        #expect(throws: AlignmentError.self) {
            try DlibChip.details(for: Array(repeating: SIMD2(.nan, 3), count: 5))
        }
        let empty = DlibChip.Details(left: 5, top: 5, right: 4, bottom: 9, angle: 0, rows: 3, columns: 3)
        #expect(throws: AlignmentError.self) { try DlibChip.extract(Image(width: 4, height: 4, channels: 1), empty) }
    }

    @Test("an unrotated chip the size of its rectangle is a plain copy, black outside the image")
    func copy() throws {
        let image = DataFixtures.gradient(width: 6, height: 5)
        let details = DlibChip.Details(left: 3.2, top: -0.7, right: 6.2, bottom: 2.3, angle: 0, rows: 4, columns: 4)
        let chip = try DlibChip.extract(image, details)
        // Rounded to columns 3…6, rows −1…2: row 0 and column 3 of the chip lie outside.
        #expect(chip[0, 0, 0] == 0 && chip[3, 1, 0] == 0)
        #expect(chip[0, 1, 0] == image[3, 0, 0] && chip[2, 3, 0] == image[5, 2, 0])
    }
}
