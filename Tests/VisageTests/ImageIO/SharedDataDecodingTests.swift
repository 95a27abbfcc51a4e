import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Visage

/// Where the real datasets are, found from this file.
private enum SharedDataFolder {
    /// `../shared/data` beside the package root, when it exists.
    static let url: URL? = {
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let folder = package.deletingLastPathComponent().appendingPathComponent("shared/data")
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? folder : nil
    }()
}

/// Every image of the real datasets in `../shared/data` decodes, with the geometry its README states.
@Suite("Decoding the shared datasets", .enabled(if: SharedDataFolder.url != nil))
struct SharedDataDecodingTests {
    /// A folder of images and what each must decode to (nil: any size).
    struct Collection: Sendable, CustomTestStringConvertible {
        var path: String
        var ext: String
        var minimumCount: Int
        var width: Int?
        var height: Int?
        var channels: Int

        var testDescription: String { path }
    }

    static let collections: [Collection] = [
        Collection(path: "lfw/aligned", ext: "jpg", minimumCount: 13233, width: 112, height: 112, channels: 3),
        Collection(path: "orl/aligned", ext: "png", minimumCount: 400, width: 112, height: 112, channels: 1),
        Collection(path: "orl/raw", ext: "png", minimumCount: 400, width: 92, height: 112, channels: 1),
        Collection(path: "yaleb/aligned", ext: "png", minimumCount: 2000, width: 112, height: 112, channels: 1),
        Collection(path: "yaleb/raw", ext: "png", minimumCount: 2000, width: 168, height: 192, channels: 1),
        Collection(path: "lowres/georgia_tech", ext: "png", minimumCount: 750, width: 30, height: 40, channels: 1),
        Collection(path: "lowres/imm", ext: "png", minimumCount: 240, width: 64, height: 48, channels: 1),
        Collection(path: "lowres/umist", ext: "png", minimumCount: 380, width: 92, height: 112, channels: 1),
    ]

    static func files(under folder: URL, ext: String) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == ext }
    }

    @Test("every image decodes with the stated geometry", arguments: collections)
    func decodesAll(_ collection: Collection) throws {
        let folder = try #require(SharedDataFolder.url).appendingPathComponent(collection.path)
        let files = Self.files(under: folder, ext: collection.ext)
        #expect(files.count >= collection.minimumCount)

        // Decode in parallel; each worker records the first few problems it sees.
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let problems = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var found: [String] = []
            for index in stride(from: worker, to: files.count, by: workers) where found.count < 5 {
                do {
                    let image = try ImageCodec.decode(contentsOf: files[index])
                    if image.channels != collection.channels
                        || collection.width.map({ $0 != image.width }) == true
                        || collection.height.map({ $0 != image.height }) == true {
                        found.append("\(files[index].path): \(image.width)×\(image.height)×\(image.channels)")
                    }
                } catch {
                    found.append("\(error)")
                }
            }
            problems.withLock { $0 += found }
        }
        let found = problems.withLock { $0 }
        #expect(found.isEmpty, "\(found.prefix(10).joined(separator: "\n"))")
    }
}
