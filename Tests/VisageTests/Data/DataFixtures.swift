import Foundation
@testable import Visage

/// Paths and scratch folders shared by the data-layer tests.
enum DataFixtures {
    /// The real datasets: `$VISAGE_SHARED_DATA`, else `shared/data` beside the package root or beside one of
    /// its ancestors (a git worktree sits deeper), or nil where there is none.
    static let sharedData: URL? = {
        func folderExists(_ url: URL) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if let custom = ProcessInfo.processInfo.environment["VISAGE_SHARED_DATA"], !custom.isEmpty {
            return folderExists(URL(fileURLWithPath: custom)) ? URL(fileURLWithPath: custom) : nil
        }
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            guard folder.path != "/" else { return nil }
            folder = folder.deletingLastPathComponent()
        }
        while folder.path != "/" {
            let data = folder.deletingLastPathComponent().appendingPathComponent("shared/data")
            if folderExists(data) { return data }
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
