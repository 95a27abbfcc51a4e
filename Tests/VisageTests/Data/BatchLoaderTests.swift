import Foundation
import Synchronization
import Testing
import Torch
@testable import Visage

/// A source of 8×8 images whose every pixel holds its sample index (mod 256), with a hook to fail a sample.
private final class CountingSource: FaceSource, @unchecked Sendable {
    // Unchecked: `requested` is a Mutex; everything else is immutable.
    let count: Int
    let failing: Int?
    let requested = Mutex(0)

    init(count: Int, failing: Int? = nil) {
        self.count = count
        self.failing = failing
    }

    func label(at index: Int) -> Int { index % 5 }
    func name(at index: Int) -> String { "sample-\(index).png" }
    func image(at index: Int) throws -> Image {
        requested.withLock { $0 += 1 }
        if index == failing { throw DataError.invalidImage(name(at: index), "is corrupt") }
        return Image(width: 8, height: 8, channels: 1, fill: UInt8(index % 256))
    }
}

@Suite("Batch loader")
struct BatchLoaderTests {
    @Test func sequentialOrderCoversEverySampleOnce() throws {
        let loader = try BatchLoader(source: CountingSource(count: 10), batchSize: 4, imageSize: 8)
        let epoch = loader.epoch(0)
        var seen: [Int] = []
        while let batch = try epoch.next() {
            seen += batch.indices
            #expect(batch.images.shape == [batch.indices.count, 3, 8, 8])
            #expect(batch.images.isContiguous(.channelsLast))
            #expect(batch.labels.array(of: Int64.self) == batch.indices.map { Int64($0 % 5) })
        }
        #expect(seen == Array(0..<10))
        #expect(loader.batchesPerEpoch == 3)
    }

    @Test func normalizesPixelsToMinusOneToOne() throws {
        let loader = try BatchLoader(source: CountingSource(count: 256), batchSize: 256, imageSize: 8)
        let batch = try #require(try loader.epoch(0).next())
        let values = batch.images.contiguous().array(of: Float.self)
        #expect(values.first == -1)
        #expect(abs(values.last! - 1) < 1e-6)
        #expect(abs(values[128 * 3 * 64] - (128 / 127.5 - 1)) < 1e-6)
    }

    @Test func shuffleIsAPermutationReproducibleFromTheSeed() throws {
        let loader = try BatchLoader(source: CountingSource(count: 50), batchSize: 7, shuffle: true, seed: 3,
                                     imageSize: 8)
        #expect(loader.order(epoch: 0).sorted() == Array(0..<50))
        #expect(loader.order(epoch: 0) != Array(0..<50))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        let again = try BatchLoader(source: CountingSource(count: 50), batchSize: 7, shuffle: true, seed: 3,
                                    imageSize: 8)
        #expect(again.order(epoch: 1) == loader.order(epoch: 1))
    }

    @Test func identityGroupsKeepSameIdentityImagesTogether() throws {
        // 50 samples of 5 identities (label = index % 5), 10 images each: groups of 4, 4 and 2 per identity.
        let loader = try BatchLoader(source: CountingSource(count: 50), batchSize: 8, shuffle: true,
                                     identityGroupSize: 4, seed: 3, imageSize: 8)
        let order = loader.order(epoch: 0)
        #expect(order.sorted() == Array(0..<50))
        // Inside the groups 5 × (3 + 3 + 1) neighbours share an identity; a free shuffle gives about 9.
        let sameIdentityNeighbours = zip(order, order.dropFirst()).filter { $0 % 5 == $1 % 5 }.count
        #expect(sameIdentityNeighbours >= 35)
        let free = try BatchLoader(source: CountingSource(count: 50), batchSize: 8, shuffle: true, seed: 3,
                                   imageSize: 8).order(epoch: 0)
        #expect(zip(free, free.dropFirst()).filter { $0 % 5 == $1 % 5 }.count < 35)
        #expect(order != loader.order(epoch: 1))
        let again = try BatchLoader(source: CountingSource(count: 50), batchSize: 8, shuffle: true,
                                    identityGroupSize: 4, seed: 3, imageSize: 8)
        #expect(again.order(epoch: 1) == loader.order(epoch: 1))
        #expect(throws: DataError.self) {
            try BatchLoader(source: CountingSource(count: 5), batchSize: 2, shuffle: true, identityGroupSize: 0)
        }
    }

    @Test func dropLastAndResumeSkipBatches() throws {
        let loader = try BatchLoader(source: CountingSource(count: 10), batchSize: 4, dropLast: true, imageSize: 8)
        #expect(loader.batchesPerEpoch == 2)
        let epoch = loader.epoch(0, startingAt: 1)
        #expect(epoch.count == 1)
        #expect(try epoch.next()?.indices == [4, 5, 6, 7])
        #expect(try epoch.next() == nil)
    }

    @Test func aBadSampleSurfacesWithItsName() throws {
        let loader = try BatchLoader(source: CountingSource(count: 12, failing: 6), batchSize: 4, imageSize: 8)
        let epoch = loader.epoch(0)
        _ = try epoch.next()
        let error = #expect(throws: DataError.self) { try epoch.next() }
        #expect(error?.description.contains("sample-6.png") == true)
    }

    @Test func wrongImageSizeIsRejected() throws {
        let loader = try BatchLoader(source: CountingSource(count: 2), batchSize: 2, imageSize: 112)
        let error = #expect(throws: DataError.self) { try loader.epoch(0).next() }
        #expect(error?.description.contains("8×8") == true)
    }

    @Test func workersStayWithinThePrefetchBound() throws {
        let source = CountingSource(count: 1000)
        let loader = try BatchLoader(source: source, batchSize: 10, imageSize: 8, workers: 2, prefetch: 3)
        let epoch = loader.epoch(0)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(source.requested.withLock { $0 } <= 3 * 10)
        _ = try epoch.next()
        epoch.cancel()
    }

    @Test func transformsAreSeededPerSample() throws {
        let transform: BatchLoader.Transform = { image, generator in
            var copy = image
            copy.pixels = copy.pixels.map { _ in UInt8.random(in: 0...255, using: &generator) }
            return copy
        }
        let make = { try BatchLoader(source: CountingSource(count: 8), batchSize: 4, imageSize: 8, transform: transform) }
        let first = try #require(try make().epoch(0).next()).images.contiguous().array(of: Float.self)
        let second = try #require(try make().epoch(0).next()).images.contiguous().array(of: Float.self)
        #expect(first == second)
    }

    @Test func withoutAHardTransformThereIsNoHardView() throws {
        let loader = try BatchLoader(source: CountingSource(count: 4), batchSize: 4, imageSize: 8)
        #expect(try #require(try loader.epoch(0).next()).hardImages == nil)
    }

    @Test func theHardViewStartsFromTheTransformedImage() throws {
        let brighten: BatchLoader.Transform = { image, _ in image.mappingValues { $0 + 10 } }
        let invert: BatchLoader.Transform = { image, _ in image.mappingValues { 255 - $0 } }
        let loader = try BatchLoader(source: CountingSource(count: 6), batchSize: 3, imageSize: 8,
                                     transform: brighten, hardTransform: invert)
        let epoch = loader.epoch(0)
        while let batch = try epoch.next() {
            let hard = try #require(batch.hardImages)
            #expect(hard.shape == batch.images.shape)
            #expect(hard.isContiguous(.channelsLast))
            let easyValues = batch.images.contiguous().array(of: Float.self)
            let hardValues = hard.contiguous().array(of: Float.self)
            for (slot, index) in batch.indices.enumerated() {
                #expect(easyValues[slot * 192] == Float(index + 10) / 127.5 - 1)
                #expect(hardValues[slot * 192] == Float(255 - (index + 10)) / 127.5 - 1)
            }
        }
    }

    @Test func theHardViewHasItsOwnReproducibleGenerator() throws {
        let draw: BatchLoader.Transform = { image, generator in
            var copy = image
            copy.pixels = copy.pixels.map { _ in UInt8.random(in: 0...255, using: &generator) }
            return copy
        }
        let make = {
            try BatchLoader(source: CountingSource(count: 4), batchSize: 4, imageSize: 8, transform: draw,
                            hardTransform: draw)
        }
        let first = try #require(try make().epoch(0).next())
        let second = try #require(try make().epoch(0).next())
        let hard = try #require(first.hardImages).contiguous().array(of: Float.self)
        #expect(hard == (try #require(second.hardImages)).contiguous().array(of: Float.self))
        #expect(hard != first.images.contiguous().array(of: Float.self))
    }

    @Test func aHardViewOfAnotherSizeIsRejected() throws {
        let shrink: BatchLoader.Transform = { image, _ in image.resized(width: 4, height: 4, filter: .area) }
        let loader = try BatchLoader(source: CountingSource(count: 2), batchSize: 2, imageSize: 8, hardTransform: shrink)
        let error = #expect(throws: DataError.self) { try loader.epoch(0).next() }
        #expect(error?.description.contains("4×4") == true)
    }

    @Test func invalidArgumentsThrow() {
        #expect(throws: DataError.self) { try BatchLoader(source: CountingSource(count: 3), batchSize: 0) }
        #expect(throws: DataError.self) { try BatchLoader(source: CountingSource(count: 0), batchSize: 2) }
        for workers in [0, -1] {
            #expect(throws: DataError.invalidArgument("workers must be positive, got \(workers)")) {
                try BatchLoader(source: CountingSource(count: 3), batchSize: 2, workers: workers)
            }
        }
    }
}
