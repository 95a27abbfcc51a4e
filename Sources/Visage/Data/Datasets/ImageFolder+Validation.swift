import Foundation

/// What to do when a file cannot be used.
public enum BadImagePolicy: Sendable, Equatable {
    /// Stop at the first bad file, throwing an error that names it.
    case failOnFirst
    /// Go on, and report every bad file at the end.
    case skipAndReport
}

extension ImageFolder {
    /// Decodes every image, in sample order, to find files that cannot be read.
    /// - Parameters:
    ///   - policy: whether the first bad file throws, or every bad file is collected.
    ///   - progress: advanced once per image when given.
    /// - Returns: the bad files (always empty with ``BadImagePolicy/failOnFirst``).
    /// - Throws: the ``ImageError`` of the first bad file with ``BadImagePolicy/failOnFirst``.
    public func validate(policy: BadImagePolicy = .failOnFirst, progress: ProgressBar? = nil) throws -> [BadImage] {
        var bad: [BadImage] = []
        for sample in samples {
            do {
                _ = try ImageCodec.decode(contentsOf: sample.url)
            } catch {
                if policy == .failOnFirst { throw error }
                let reason = (error as? ImageError)?.reason ?? "\(error)"
                bad.append(BadImage(path: sample.url.path, reason: reason))
            }
            progress?.advance()
        }
        return bad
    }

    /// The data set without the images in `bad`, identities left without an image dropped, relabelled 0..<k.
    /// - Throws: ``DataError/invalidArgument(_:)`` when no image is left.
    public func removing(_ bad: [BadImage]) throws -> ImageFolder {
        let paths = Set(bad.map(\.path))
        let kept = samples.filter { !paths.contains($0.url.path) }
        guard !kept.isEmpty else { throw DataError.invalidArgument("\(root.path): no usable image is left") }
        let remaining = ImageFolder(root: root, classNames: classNames, samples: kept)
        return try remaining.subset(identities: Set(kept.map(\.identity)))
    }

    /// The data set checked before training: every image decoded once. Unreadable images stop it here, all named,
    /// unless `skippingBad`, which leaves them out and returns them.
    /// - Throws: ``DataError/invalidArgument(_:)`` listing the unreadable images (up to 20, then a count).
    public func usable(skippingBad: Bool, progress: ProgressBar? = nil) throws -> (folder: ImageFolder, skipped: [BadImage]) {
        let bad = try validate(policy: .skipAndReport, progress: progress)
        if bad.isEmpty { return (self, []) }
        guard skippingBad else {
            throw DataError.invalidArgument("\(bad.count) images of \(root.path) cannot be read (--skip-bad leaves them "
                + "out):\n" + bad.prefix(20).map { "  \($0)" }.joined(separator: "\n")
                + (bad.count > 20 ? "\n  … and \(bad.count - 20) more" : ""))
        }
        return (try removing(bad), bad)
    }
}
