import Foundation
import Testing
import Torch
@testable import Visage

/// The embedder runs a model over a source in order, normalizes, and applies flip test-time augmentation.
@Suite("Embedder")
struct EmbedderTests {
    /// Column profile of the image: the mean over channels and rows, N×S, so a mirror image reverses it.
    final class ColumnProfile: Module {
        override func forward(_ input: Tensor) -> Tensor { input.mean([1, 2]) }
    }

    /// A few in-memory images with distinct, asymmetric content.
    struct Images: FaceSource {
        var images: [Image]
        var count: Int { images.count }
        func label(at index: Int) -> Int { index }
        func name(at index: Int) -> String { "face\(index).png" }
        func image(at index: Int) throws -> Image { images[index] }
    }

    static let source = Images(images: (0..<5).map { index in
        var image = DataFixtures.gradient(width: 8, height: 8, channels: 3)
        image[index, 0, 0] = 255
        return image
    })

    @Test("embeddings are the normalized model outputs, in source order, across batches")
    func plain() throws {
        let embedder = try Embedder(model: ColumnProfile(), inputSize: 8, batchSize: 2)
        let file = try embedder.featureFile(for: Self.source, showProgress: false)
        #expect(file.paths == (0..<5).map { "face\($0).png" })
        #expect(file.features.rows == 5 && file.features.columns == 8)
        for row in 0..<5 {
            let image = Self.source.images[row]
            let profile: [Double] = (0..<8).map { x in
                (0..<8).flatMap { y in (0..<3).map { Double(image[x, y, $0]) / 127.5 - 1 } }.reduce(0, +) / 24
            }
            let norm = profile.map { $0 * $0 }.reduce(0, +).squareRoot()
            for (value, expected) in zip(file.features.row(row), profile) {
                #expect(abs(Double(value) - expected / norm) < 1e-5)
            }
        }
    }

    @Test("flip test-time augmentation sums the outputs of the image and its mirror before normalizing")
    func flip() throws {
        let plain = try Embedder(model: ColumnProfile(), inputSize: 8, batchSize: 3).embed(Self.source, showProgress: false)
        let flipped = try Embedder(model: ColumnProfile(), inputSize: 8, batchSize: 3, flipTest: true)
            .embed(Self.source, showProgress: false)
        for row in 0..<5 {
            let a = Array(plain.row(row)), b = Array(flipped.row(row))
            let summed = (0..<8).map { a[$0] + a[7 - $0] }
            let norm = summed.map { $0 * $0 }.reduce(0, +).squareRoot()
            for x in 0..<8 { #expect(abs(b[x] - summed[x] / norm) < 1e-5) }
        }
    }

    @Test("images of another size are resized to the input size")
    func resizing() throws {
        let embedder = try Embedder(model: ColumnProfile(), inputSize: 16)
        let embedded = try embedder.embed(Self.source, showProgress: false)
        let resized = try embedder.embed(ResizedFaceSource(Self.source, side: 16), showProgress: false)
        #expect(embedded.columns == 16)
        #expect(embedded == resized)
    }

    @Test("models that do not give N×D throw naming them")
    func errors() throws {
        final class Identity: Module {
            override func forward(_ input: Tensor) -> Tensor { input }
        }
        #expect(throws: DataError.self) {
            try Embedder(model: Identity(), inputSize: 8).embed(Self.source, showProgress: false)
        }
        #expect(throws: DataError.self) { try Embedder(model: Identity(), inputSize: 0) }
    }
}
