/// A random-access collection of labelled face images that a ``BatchLoader`` reads from.
///
/// Implementations must be safe to call from several loader threads at once.
public protocol FaceSource: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// Identity label of sample `index`, in 0..<classCount.
    func label(at index: Int) -> Int
    /// A short name for sample `index` in error messages (usually its file path).
    func name(at index: Int) -> String
    /// Sample `index` as an image; throws (naming the sample) if it cannot be produced.
    func image(at index: Int) throws -> Image
}
