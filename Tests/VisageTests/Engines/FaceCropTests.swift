import Foundation
import Testing
@testable import Visage

@Suite("Face crops")
struct FaceCropTests {
    /// A 112×112 RGB image with a different value in every pixel and channel.
    static let aligned: Image = {
        var image = Image(width: 112, height: 112, channels: 3)
        for y in 0..<112 { for x in 0..<112 { for c in 0..<3 { image[x, y, c] = UInt8((x * 7 + y * 3 + c * 50) % 256) } } }
        return image
    }()

    @Test("An ArcFace crop from dlib points at their template positions is the image itself (within a grey level)")
    func arcfaceFromTemplatePoints() throws {
        let cut = try FaceCrop.arcface(size: 112).cut(Self.aligned, dlibPoints: DlibFivePointAlignment.arcFace112)
        // The fitted transform is the identity up to rounding, which truncation can turn into one grey level.
        let difference = zip(cut.pixels, Self.aligned.pixels).map { abs(Int($0) - Int($1)) }.max()
        #expect(cut.width == 112 && difference! <= 1)
        let smaller = try FaceCrop.arcface(size: 56).cut(aligned: Self.aligned)
        #expect(smaller.width == 56 && smaller.height == 56)
        #expect(try FaceCrop.arcface(size: 112).cut(aligned: Self.aligned) == Self.aligned)
    }

    @Test("A dlib chip re-cut from an aligned crop is the chip of the template's dlib points")
    func dlibChipFromAligned() throws {
        let crop = FaceCrop.dlibChip(size: 150, padding: 0.25)
        let chip = try crop.cut(aligned: Self.aligned)
        #expect(chip.width == 150 && chip.height == 150 && chip.channels == 3)
        let direct = try DlibChip.extract(Self.aligned, DlibChip.details(for: DlibFivePointAlignment.arcFace112))
        #expect(chip == direct)
    }

    @Test("Wrong landmark counts are refused")
    func refusals() {
        #expect(throws: AlignmentError.wrongLandmarkCount(4)) {
            try FaceCrop.arcface(size: 112).cut(Self.aligned, dlibPoints: Array(DlibFivePointAlignment.arcFace112.prefix(4)))
        }
    }
}
