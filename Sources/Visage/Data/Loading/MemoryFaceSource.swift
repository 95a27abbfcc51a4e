import Dispatch
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
        let threads = max(1, workers)
        let read = Mutex([Image?](repeating: nil, count: count))
        let failure = Mutex<(any Error)?>(nil)
        let progress = ProgressBar("read", total: count, unit: "img", enabled: showProgress)
        // Chunks of a few images per thread, so that the progress bar advances on this thread.
        let chunk = threads * 8
        for start in stride(from: 0, to: count, by: chunk) {
            let end = min(start + chunk, count)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in stride(from: start + thread, to: end, by: threads) {
                    do {
                        let image = try source.image(at: index)
                        read.withLock { $0[index] = image }
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            progress.advance(by: end - start)
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
