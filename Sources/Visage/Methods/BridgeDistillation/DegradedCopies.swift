import Foundation

/// `copies` degraded versions of every image of a source, made once and kept in memory: the set `D(I)` of
/// Eq. 5–6 (the paper perturbs each face's landmarks 16 times).
///
/// Sample `c · N + i` is copy `c` of base image `i` (N = the base's count), with image `i`'s label; each copy
/// has its own generator (seeded by `seed`, `i` and `c`). Every image is decoded once and degraded `copies`
/// times on `workers` threads. Training over it passes over all copies once per epoch, and every supervision
/// of a resolution trains on the same copies.
public struct DegradedCopies: FaceSource {
    /// The faces before degradation.
    public let base: any FaceSource
    /// Degraded versions per base image.
    public let copies: Int
    private let images: [Image]

    /// Degrades every image of `base` `copies` times with `degradation`.
    /// - Throws: ``DataError/invalidArgument(_:)`` for fewer than one copy, and the first error reading or
    ///   degrading an image (naming it).
    public init(_ base: any FaceSource, degradation: Degradation, copies: Int, seed: UInt64, workers: Int = 2,
                showProgress: Bool = true) throws {
        guard copies > 0 else { throw DataError.invalidArgument("need at least one degraded copy, got \(copies)") }
        let count = base.count
        let shared = SharedProgress(ProgressBar("degrade", total: count, unit: "img", enabled: showProgress))
        defer { shared.finish() }
        let threads = max(1, workers)
        var made = [Image?](repeating: nil, count: count * copies)
        made.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in stride(from: thread, to: count, by: threads) {
                    do {
                        let image = try base.image(at: index)
                        for copy in 0..<copies {
                            var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(index), UInt64(copy)))
                            output[copy * count + index] = try degradation.apply(to: image, using: &generator)
                        }
                    } catch {
                        shared.fail(DataError.invalidImage(base.name(at: index), "\(error)"))
                        return
                    }
                    shared.advance()
                }
            }
        }
        if let error = shared.firstError { throw error }
        self.base = base
        self.copies = copies
        images = made.map { $0! }
    }

    /// N × copies.
    public var count: Int { images.count }

    /// The base image of sample `index`.
    public func baseIndex(of index: Int) -> Int { index % base.count }

    /// The base image's label.
    public func label(at index: Int) -> Int { base.label(at: baseIndex(of: index)) }

    /// The base image's name with the copy: `identity/file.jpg#2`.
    public func name(at index: Int) -> String { base.name(at: baseIndex(of: index)) + "#\(index / base.count)" }

    /// The degraded copy.
    public func image(at index: Int) throws -> Image { images[index] }
}

/// A progress bar and the first error, shared by the threads making copies.
private final class SharedProgress: @unchecked Sendable {
    // Unchecked: every field is used only with `lock` held.
    private let lock = NSLock()
    private let bar: ProgressBar
    private var error: (any Error)?

    init(_ bar: ProgressBar) { self.bar = bar }

    var firstError: (any Error)? { lock.withLock { error } }

    func advance() { lock.withLock { bar.advance() } }

    func fail(_ failure: any Error) { lock.withLock { if error == nil { error = failure } } }

    func finish() { lock.withLock { bar.finish() } }
}
