import Foundation

/// An ImageFolder feeds a ``BatchLoader`` directly: each sample is decoded from its file.
extension ImageFolder: FaceSource {
    public var count: Int { samples.count }

    public func label(at index: Int) -> Int { samples[index].label }

    public func name(at index: Int) -> String { samples[index].relativePath }

    public func image(at index: Int) throws -> Image {
        try ImageCodec.decode(contentsOf: samples[index].url)
    }
}
