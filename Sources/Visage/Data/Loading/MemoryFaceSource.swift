import Synchronization

/// Another ``FaceSource`` read once and held in memory, for a source that is costly to read and is read several
/// times — rendered synthetic faces embedded by more than one model, say.
public struct MemoryFaceSource: FaceSource {
    private let images: [Image]
    private let labels: [Int]
    private let names: [String]

    /// Reads every image of `source`, on `workers` threads.
    /// - Parameter showProgress: show a progress bar on standard error.
    /// - Throws: the first error `source` throws (it names the sample).
    public init(reading source: any FaceSource, workers: Int = 2, showProgress: Bool = false) throws {
        let count = source.count
        let read = Mutex([Image?](repeating: nil, count: count))
        let progress = ProgressBar("read", total: count, unit: "img", enabled: showProgress)
        try forEachIndexInParallel(count, threads: workers, advance: { progress.advance(by: $0) }) { index in
            let image = try source.image(at: index)
            read.withLock { $0[index] = image }
        }
        progress.finish()
        images = read.withLock { $0.map { $0! } }
        labels = (0..<count).map(source.label)
        names = (0..<count).map(source.name)
    }

    public var count: Int { images.count }

    public func label(at index: Int) -> Int { labels[index] }

    public func name(at index: Int) -> String { names[index] }

    public func image(at index: Int) throws -> Image {
        guard images.indices.contains(index) else {
            throw DataError.invalidImage("sample \(index)", "is outside the source's \(images.count) samples")
        }
        return images[index]
    }
}
