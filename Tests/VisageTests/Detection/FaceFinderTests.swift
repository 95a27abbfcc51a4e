import Foundation
import Testing
@testable import Visage

/// Photos in, faces out: the detector and landmark model together, on awkward photos.
@Suite("Face finder", .serialized,
       .enabled(if: EngineWeightsFixtures.dlibMMOD != nil && EngineWeightsFixtures.shapePredictor != nil))
struct FaceFinderTests {
    static let photos = EngineWeightsFixtures.fixtures.deletingLastPathComponent().appendingPathComponent("Photos")

    @Test("Grey+alpha, palette, 16-bit and CMYK photos and a tiny one give no face; a truncated one a named error")
    func awkwardPhotos() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["cmyk.jpg", "grey16.png", "grey-alpha.png", "palette.png"] {
            try FileManager.default.copyItem(at: Self.photos.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try ImageCodec.write(Image(width: 6, height: 5, channels: 1, fill: 90), to: folder.appendingPathComponent("tiny.png"))
        let jpeg = try ImageCodec.encodeJPEG(Image(width: 64, height: 64, channels: 3, fill: 128))
        try Data(jpeg.prefix(jpeg.count / 2)).write(to: folder.appendingPathComponent("truncated.jpg"))

        let detections = try PhotoDetections.detect(PhotoList([folder.path]), finder: FaceFinder.load(), showProgress: false)
        #expect(detections.photos.count == 6 && detections.photos.allSatisfy(\.faces.isEmpty))
        let skipped = Dictionary(uniqueKeysWithValues: detections.skipped.map { ($0.path, $0.error!) })
        let truncated = folder.appendingPathComponent("truncated.jpg").path
        #expect(skipped[truncated]?.contains(truncated) == true)
        for name in ["cmyk.jpg", "grey16.png", "grey-alpha.png", "palette.png", "tiny.png"] {
            #expect(skipped[folder.appendingPathComponent(name).path] == nil, "\(name) should decode")
        }
        #expect(Set(detections.photosWithoutFaces.map(\.name)).isSuperset(of: ["\(folder.lastPathComponent)/tiny.png"]))
    }

    @Test("A photo too large to detect at full size is detected shrunk, with boxes in the photo's pixels",
          .enabled(if: DataFixtures.hasSharedData))
    func hugePhoto() throws {
        let finder = try FaceFinder.load(upsample: 0)
        let photo = try ImageCodec.decode(contentsOf: DataFixtures.shared("detection/2008_002506.jpg"))
        let normal = try finder.faces(in: photo)
        let big = photo.resized(width: photo.width * 8, height: photo.height * 8, filter: .bilinear)
        #expect(big.width * big.height > FaceFinder.maximumPixels)
        let large = try finder.faces(in: big)
        #expect(large.count == normal.count && !normal.isEmpty)
        for face in normal {
            let scaled = FaceBox(left: face.box.left * 8, top: face.box.top * 8, right: face.box.right * 8 + 7,
                                 bottom: face.box.bottom * 8 + 7)
            #expect(large.map { $0.box.intersectionOverUnion(scaled) }.max()! > 0.6)
        }
    }
}
