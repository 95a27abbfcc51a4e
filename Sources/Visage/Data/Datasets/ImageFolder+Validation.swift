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
}
