import Foundation
@testable import Visage

/// Paths and scratch folders shared by the data-layer tests.
enum DataFixtures {
    /// The real datasets: `../shared/data` beside the package root, or nil where that folder is absent.
    static let sharedData: URL? = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                let data = folder.deletingLastPathComponent().appendingPathComponent("shared/data")
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: data.path, isDirectory: &isDirectory)
                return exists && isDirectory.boolValue ? data : nil
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }()

    /// Whether the real datasets are present.
    static var hasSharedData: Bool { sharedData != nil }

    /// `relativePath` inside the real datasets; only call from tests gated on ``hasSharedData``.
    static func shared(_ relativePath: String) throws -> URL {
        guard let root = sharedData else { throw DataError.invalidArgument("../shared/data is absent") }
        return root.appendingPathComponent(relativePath)
    }

    /// A new empty folder under the system's temporary folder; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-data-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` inside `folder`, creating sub-folders, and returns its URL.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// A gray test image whose pixels vary smoothly and non-symmetrically, so shifts and flips show.
    static func gradient(width: Int, height: Int, channels: Int = 1) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    image[x, y, c] = UInt8((x * 7 + y * 3 + c * 40) % 256)
                }
            }
        }
        return image
    }
}
