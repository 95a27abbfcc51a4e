import Foundation
import Torch

/// The training faces of an inversion run read once and kept on disk (a safetensors file of the resized faces'
/// pixels), so that the student's run and each inverter's run do not each decode and resize every image again.
///
/// The file records the face side and a digest of the image list; a cache made for other images or another side
/// is refused rather than silently used.
public enum InversionFaceCache {
    /// The faces of `source` in memory: from `cache` when it holds them, else read (on `workers` threads) and,
    /// when `cache` is given, written there atomically.
    /// - Throws: ``DataFileError`` naming the cache when it was made for other images or another side; the
    ///   source's image errors.
    public static func faces(of source: InversionFaces, cache: URL?, workers: Int,
                             showProgress: Bool = true) throws -> MemoryFaceSource {
        let digest = SHA256.hex(Array(source.paths.joined(separator: "\n").utf8))
        let side = source.faceSize
        if let cache, FileManager.default.fileExists(atPath: cache.path) {
            let contents = try SafeTensors.read(from: cache)
            guard contents.metadata["images_sha256"] == digest, contents.metadata["face_size"] == "\(side)",
                  let pixels = contents.tensors["faces"], pixels.shape == [source.count, side, side, 3] else {
                throw DataFileError(cache, "holds the faces of other images or another size than these "
                    + "\(source.count) faces at \(side)×\(side); remove it or give another --face-cache")
            }
            let values = pixels.contiguous().array(of: UInt8.self)
            let plane = side * side * 3
            let images = (0..<source.count).map {
                Image(width: side, height: side, channels: 3, pixels: Array(values[($0 * plane)..<(($0 + 1) * plane)]))
            }
            return try MemoryFaceSource(reading: CachedFaces(images: images, of: source), workers: 1)
        }
        let memory = try MemoryFaceSource(reading: source, workers: workers, showProgress: showProgress)
        if let cache {
            var values: [UInt8] = []
            values.reserveCapacity(source.count * side * side * 3)
            for index in 0..<memory.count {
                let image = try memory.image(at: index)
                values += image.channels == 3 ? image.pixels : image.converted(toChannels: 3).pixels
            }
            let tensor = try Tensor(values, shape: [source.count, side, side, 3])
            try SafeTensors.write(["faces": tensor], metadata: ["images_sha256": digest, "face_size": "\(side)"], to: cache)
        }
        return memory
    }

    /// Faces already decoded, labelled and named as `source`'s.
    private struct CachedFaces: FaceSource {
        let images: [Image]
        let source: InversionFaces
        init(images: [Image], of source: InversionFaces) {
            self.images = images
            self.source = source
        }
        var count: Int { images.count }
        func label(at index: Int) -> Int { source.label(at: index) }
        func name(at index: Int) -> String { source.name(at: index) }
        func image(at index: Int) throws -> Image { images[index] }
    }
}
