import Dispatch
import Synchronization
import Testing
import SyntheticFaces
@testable import Visage

/// Synthetic faces served to the loader straight from memory.
@Suite("Synthetic face source")
struct SyntheticFaceSourceTests {
    static let shiftDataset = try! SyntheticDataset(identities: 6, imagesPerIdentity: 4, seed: 11)

    @Test func samplesEnumeratePeopleThenPhotos() throws {
        let dataset = try SyntheticDataset(identities: 3, imagesPerIdentity: 2, seed: 4)
        let source = try SyntheticFaceSource(dataset: dataset)
        #expect(source.count == 6)
        #expect((0..<6).map(source.label) == [0, 0, 1, 1, 2, 2])
        #expect(source.name(at: 3) == "id0001/id0001_0001.png")
        #expect(try SyntheticFaceSource(dataset: dataset, imagesPerIdentity: 5).count == 15)
    }

    @Test func imagesAreTheDatasetsPhotosOnAnyThread() throws {
        let dataset = try SyntheticDataset(identities: 2, imagesPerIdentity: 2, seed: 7)
        let source = try SyntheticFaceSource(dataset: dataset)
        let expected = try (0..<4).map { try dataset.face(identity: $0 / 2, image: $0 % 2).image }
        let rendered = Mutex([Image?](repeating: nil, count: 4))
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            let image = try? source.image(at: index)
            rendered.withLock { $0[index] = image }
        }
        #expect(rendered.withLock { $0 } == expected)
    }

    @Test func otherRangesShowTheSamePeopleDifferently() throws {
        let dataset = try SyntheticDataset(identities: 2, imagesPerIdentity: 1, seed: 9)
        let hard = try SyntheticFaceSource(dataset: dataset, ranges: .hard)
        #expect(hard.dataset.ranges == .hard)
        #expect(hard.dataset.identity(1) == dataset.identity(1))
        #expect(try hard.image(at: 1) != (try SyntheticFaceSource(dataset: dataset).image(at: 1)))
    }

    @Test func theLoaderTrainsOnRenderedFaces() throws {
        let source = try SyntheticFaceSource(dataset: SyntheticDataset(identities: 2, imagesPerIdentity: 2, seed: 1))
        let loader = try BatchLoader(source: source, batchSize: 4, shuffle: true, seed: 2)
        let batch = try #require(try loader.epoch(0).next())
        #expect(batch.images.shape == [4, 3, 112, 112])
        #expect(batch.labels.array(of: Int64.self) == batch.indices.map { Int64($0 / 2) })
    }

    @Test func invalidRequestsThrow() throws {
        let dataset = try SyntheticDataset(identities: 2, imagesPerIdentity: 2)
        #expect(throws: SyntheticFaceError.self) { try SyntheticFaceSource(dataset: dataset, imagesPerIdentity: 0) }
        #expect(throws: SyntheticFaceError.self) { try SyntheticFaceSource(dataset: dataset, shift: .yaw(30...95)) }
        let source = try SyntheticFaceSource(dataset: dataset)
        let error = #expect(throws: DataError.self) { try source.image(at: 4) }
        #expect(error?.description.contains("4 samples") == true)
    }

    @Test("a shifted source serves the same photos, names and labels, rendered under the shifted conditions")
    func shiftedSource() throws {
        let plain = try SyntheticFaceSource(dataset: Self.shiftDataset)
        let shifted = try SyntheticFaceSource(dataset: Self.shiftDataset, shift: .lowResolution)
        #expect(shifted.count == plain.count)
        #expect((0..<plain.count).map(shifted.name) == (0..<plain.count).map(plain.name))
        #expect((0..<plain.count).map(shifted.label) == (0..<plain.count).map(plain.label))
        #expect(shifted.conditions(at: 5) == Self.shiftDataset.conditions(identity: 1, image: 1, shift: .lowResolution))
        #expect(plain.conditions(at: 5) == Self.shiftDataset.conditions(identity: 1, image: 1))
        let image = try shifted.image(at: 5)
        #expect(image == (try Self.shiftDataset.face(identity: 1, image: 1, shift: .lowResolution).image))
        #expect(image != (try plain.image(at: 5)))
    }
}
