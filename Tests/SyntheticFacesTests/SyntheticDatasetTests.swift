import Foundation
import Testing
@testable import SyntheticFaces

/// The dataset: random conditions within ranges, in-memory photos and pair lists.
@Suite("Synthetic dataset")
struct SyntheticDatasetTests {
    @Test("Random conditions stay within their ranges", arguments: [SyntheticConditionRanges.standard, .hard])
    func conditionsWithinRanges(ranges: SyntheticConditionRanges) throws {
        var random = SeededRandom(seed: 1)
        var occluded = 0
        var resolutions = Set<Int>()
        for _ in 0..<2000 {
            let c = SyntheticConditions.random(using: &random, in: ranges)
            try c.validate()
            #expect(abs(c.yaw) <= ranges.maxYaw && abs(c.pitch) <= ranges.maxPitch && abs(c.roll) <= ranges.maxRoll)
            #expect(ranges.lightStrength.contains(c.lightStrength) && ranges.ambient.contains(c.ambient))
            #expect(c.blurSigma <= ranges.maxBlur && c.noiseSigma <= ranges.maxNoise)
            #expect(c.expression.smile <= ranges.expression && c.expression.mouthOpen <= ranges.expression)
            resolutions.insert(c.resolution)
            if c.occlusion != .none { occluded += 1 }
        }
        #expect(resolutions == Set(ranges.resolutions))
        #expect(abs(Double(occluded) / 2000 - ranges.occlusionProbability) < 0.04)
    }

    @Test("The none preset keeps every photo frontal, neutral and clean")
    func nonePreset() {
        var random = SeededRandom(seed: 2)
        for _ in 0..<100 {
            var c = SyntheticConditions.random(using: &random, in: .none)
            c.backgroundTop = SyntheticConditions.frontal.backgroundTop
            c.backgroundBottom = SyntheticConditions.frontal.backgroundBottom
            c.noiseSeed = 0
            #expect(c == .frontal)
        }
    }

    @Test("Names and files follow the ImageFolder layout")
    func names() throws {
        let small = try SyntheticDataset(identities: 12, imagesPerIdentity: 3)
        #expect(small.identityName(7) == "id0007")
        #expect(small.fileName(identity: 7, image: 2) == "id0007_0002.png")
        let large = try SyntheticDataset(identities: 123_456, imagesPerIdentity: 20_000)
        #expect(large.identityName(42) == "id000042")
        #expect(large.fileName(identity: 42, image: 3) == "id000042_00003.png")
    }

    @Test("Photos are reproducible in memory, and photo indices past the dataset give fresh photos")
    func inMemory() throws {
        let dataset = try SyntheticDataset(identities: 4, imagesPerIdentity: 2, seed: 9, ranges: .hard)
        let again = try SyntheticDataset(identities: 4, imagesPerIdentity: 2, seed: 9, ranges: .hard)
        #expect(try dataset.face(identity: 2, image: 1) == again.face(identity: 2, image: 1))
        #expect(try dataset.images(identity: 3) == again.images(identity: 3))
        #expect(try dataset.face(identity: 2, image: 1).image != dataset.face(identity: 2, image: 5).image)
        let other = try SyntheticDataset(identities: 4, imagesPerIdentity: 2, seed: 10, ranges: .hard)
        #expect(dataset.identity(0) != other.identity(0))
        #expect(throws: SyntheticFaceError.self) { try dataset.face(identity: 4, image: 0) }
        #expect(throws: SyntheticFaceError.self) { try dataset.face(identity: 0, image: -1) }
        let wrongHead = SyntheticHead(dataset.identity(1))
        #expect(throws: SyntheticFaceError.self) { try dataset.face(identity: 0, image: 0, head: wrongHead) }
    }

    @Test("Concurrent rendering gives the same photos as sequential rendering")
    func concurrent() async throws {
        let dataset = try SyntheticDataset(identities: 3, imagesPerIdentity: 4, seed: 12, ranges: .hard)
        let sequential = try (0..<12).map { try dataset.face(identity: $0 % 3, image: $0 / 3).image }
        let parallel = try await withThrowingTaskGroup(of: (Int, Image).self) { group in
            for index in 0..<12 {
                group.addTask { (index, try dataset.face(identity: index % 3, image: index / 3).image) }
            }
            var images = [Image?](repeating: nil, count: 12)
            for try await (index, image) in group { images[index] = image }
            return images.compactMap { $0 }
        }
        #expect(parallel == sequential)
    }

    @Test("Pair lists are deterministic for the seed and honour an explicit count")
    func pairLists() throws {
        let dataset = try SyntheticDataset(identities: 40, imagesPerIdentity: 6, seed: 1)
        #expect(try dataset.pairs() == dataset.pairs())
        #expect(try dataset.pairs() != SyntheticDataset(identities: 40, imagesPerIdentity: 6, seed: 2).pairs())
        let pairs = try dataset.pairs(folds: 4, pairsPerFold: 25)
        #expect(pairs.folds.count == 4 && pairs.perFold == 25)
        for fold in pairs.folds {
            #expect(fold.prefix(25).allSatisfy(\.matched) && fold.suffix(25).allSatisfy { !$0.matched })
        }
        #expect(pairs.text.hasPrefix("4\t25\n"))
    }

    static let invalidDatasets: [(String, @Sendable () throws -> Void)] = [
        ("identities", { _ = try SyntheticDataset(identities: 0, imagesPerIdentity: 5) }),
        ("images per identity", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 0) }),
        ("images per identity", { _ = try SyntheticDataset(identities: 4, imagesPerIdentity: Int.max) }),
        ("images per identity", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 1).pairs(folds: 2) }),
        ("identities", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 4).pairs(folds: 3) }),
        ("identities", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 4).pairs(folds: Int.max) }),
        ("folds", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 4).pairs(folds: 0) }),
        ("pairs per fold", { _ = try SyntheticDataset(identities: 20, imagesPerIdentity: 3).pairs(folds: 10, pairsPerFold: 7) }),
        ("pairs per fold", { _ = try SyntheticDataset(identities: 20, imagesPerIdentity: 3).pairs(pairsPerFold: 0) }),
        ("maxYaw", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(maxYaw: -5)) }),
        ("maxBlur", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(maxBlur: .nan)) }),
        ("resolution", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(resolutions: [112, 2])) }),
        ("resolutions", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(resolutions: [])) }),
        ("occlusionProbability", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(occlusionProbability: 1.5)) }),
        ("lightStrength", { _ = try SyntheticDataset(identities: 5, imagesPerIdentity: 2, ranges: .init(lightStrength: -1...1)) }),
    ]

    @Test("Invalid arguments throw clear errors naming the value", arguments: 0..<invalidDatasets.count)
    func invalidArguments(index: Int) {
        let (name, attempt) = Self.invalidDatasets[index]
        do {
            try attempt()
            Issue.record("\(name) was accepted")
        } catch let error as SyntheticFaceError {
            #expect(error.description.hasPrefix("invalid \(name) "), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
