import Foundation
import SyntheticFaces
import Torch

extension SyntheticDataset {
    /// Writes the dataset as an ImageFolder, `directory/<identity-name>/<file-name>`, plus `directory/pairs.txt`
    /// (unless `includePairs` is false), and returns the pairs. The pairs are drawn first, so impossible pair
    /// settings fail before any rendering.
    /// - Parameter progress: show a progress bar on standard error.
    @discardableResult
    public func write(to directory: URL, folds: Int = 10, pairsPerFold: Int? = nil, includePairs: Bool = true,
                      progress: Bool = true) throws -> SyntheticPairList? {
        let pairs = includePairs ? try self.pairs(folds: folds, pairsPerFold: pairsPerFold) : nil
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SyntheticFaceError.writeFailed(path: directory.path, reason: "it exists and is not a directory")
        }
        let bar = ProgressBar("synth", total: identities * imagesPerIdentity, unit: "img", enabled: progress)
        for identity in 0..<identities {
            let folder = directory.appendingPathComponent(identityName(identity), isDirectory: true)
            do {
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw SyntheticFaceError.writeFailed(path: folder.path, reason: error.localizedDescription)
            }
            let head = SyntheticHead(self.identity(identity))
            for image in 0..<imagesPerIdentity {
                let face = try self.face(identity: identity, image: image, head: head)
                try ImageCodec.write(face.image, to: folder.appendingPathComponent(fileName(identity: identity, image: image)))
                bar.advance()
            }
        }
        try pairs?.write(to: directory.appendingPathComponent("pairs.txt"))
        bar.finish()
        return pairs
    }
}

extension SyntheticPairList {
    /// Writes `text` to `url` atomically.
    public func write(to url: URL) throws {
        do {
            try AtomicFile.write(Data(text.utf8), to: url)
        } catch {
            throw SyntheticFaceError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
