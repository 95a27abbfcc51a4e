import Foundation
import Testing
import Torch
@testable import Visage

/// Partial FC against the unsharded ``MarginSoftmax`` on a worked batch: 6 faces of 5 classes, 4-D.
@Suite("Partial FC", .serialized)
struct PartialFCTests {
    static let storeVariable = "VISAGE_PARTIAL_FC_TEST_STORE"
    static let kind = MarginKind.arcFace(scale: 8, margin: 0.3)
    static let labels: [Int64] = [0, 3, 4, 1, 3, 2]

    /// The batch's embeddings `[6, 4]` and the 5 class centers `[5, 4]`.
    static func worked() -> (embeddings: Tensor, centers: Tensor) {
        Runtime.seed(3)
        return (Tensor.randn([6, 4]), Tensor.randn([5, 4]) * 0.5)
    }

    /// The unsharded head's loss, embedding gradient `[6, 4]` and center gradient `[5, 4]`, over `classes`
    /// (all by default) with the labels renumbered among them.
    static func unsharded(classes: [Int] = Array(0..<5)) -> (loss: Double, embeddings: [Float], centers: [Float]) {
        let (embeddings, centers) = worked()
        let head = MarginSoftmax(embeddingSize: 4, classes: classes.count, kind: kind)
        withoutGrad { _ = head.weight.copy_(centers.indexSelect(0, Tensor(classes.map(Int64.init)))) }
        let input = embeddings.requiresGrad(true)
        let renumbered = labels.map { Int64(classes.firstIndex(of: Int($0))!) }
        let loss = head.loss(input, labels: Tensor(renumbered))
        loss.backward()
        return (loss.item, input.grad!.array(of: Float.self), head.weight.grad!.array(of: Float.self))
    }

    /// Rank `group.rank`'s Partial FC on its 3 faces: the loss, its faces' gradient divided by the number of ranks
    /// (what data-parallel averaging leaves), and its centers' gradient.
    static func sharded(group: ProcessGroup, sampleRate: Double = 1) throws
        -> (loss: Double, embeddings: [Float], centers: [Float], range: Range<Int>)
    {
        let (embeddings, centers) = worked()
        let head = try PartialFC(embeddingSize: 4, classes: 5, kind: kind, sampleRate: sampleRate, group: group)
        let range = head.classRange
        withoutGrad { _ = head.weight.copy_(centers.narrow(0, start: range.lowerBound, length: range.count)) }
        let share = 6 / group.worldSize
        let input = embeddings.narrow(0, start: group.rank * share, length: share).contiguous().requiresGrad(true)
        let loss = try head.loss(input, labels: Tensor(Array(labels[group.rank * share..<(group.rank + 1) * share])))
        loss.backward()
        return (loss.item, (input.grad! / Double(group.worldSize)).array(of: Float.self),
                head.weight.grad!.array(of: Float.self), range)
    }

    /// Whether `a` and `b` agree within `tolerance` everywhere.
    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    /// Whether rank `rank`'s results are the unsharded head's on its faces and its classes.
    static func matches(_ result: (loss: Double, embeddings: [Float], centers: [Float], range: Range<Int>),
                        rank: Int, ranks: Int) -> Bool {
        let reference = unsharded()
        let share = 6 / ranks
        return abs(result.loss - reference.loss) < 1e-5
            && close(result.embeddings, Array(reference.embeddings[rank * share * 4..<(rank + 1) * share * 4]))
            && close(result.centers, Array(reference.centers[result.range.lowerBound * 4..<result.range.upperBound * 4]))
    }

    @Test("2 ranks (3 and 2 classes): the loss and every gradient are the unsharded head's")
    func twoRanksEqualTheUnshardedHead() async throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("store")
        setenv(Self.storeVariable, store.path, 1)
        async let child = #expect(processExitsWith: .success) {
            let store = URL(fileURLWithPath: ProcessInfo.processInfo.environment[PartialFCTests.storeVariable]!)
            let group = try ProcessGroup(rendezvous: .file(store), rank: 1, worldSize: 2, timeout: 20,
                                         host: "127.0.0.1")
            guard PartialFCTests.matches(try PartialFCTests.sharded(group: group), rank: 1, ranks: 2) else { exit(3) }
        }
        let result = try await onOwnThread {
            let group = try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 2, timeout: 20,
                                         host: "127.0.0.1")
            return try Self.sharded(group: group)
        }
        _ = await child
        #expect(result.range == 0..<3)
        let reference = Self.unsharded()
        #expect(abs(result.loss - reference.loss) < 1e-5, "\(result.loss) vs \(reference.loss)")
        #expect(Self.close(result.embeddings, Array(reference.embeddings[0..<12])))
        #expect(Self.close(result.centers, Array(reference.centers[0..<12])))
        #expect(reference.centers[12..<20].contains { $0 != 0 }, "rank 1's classes have gradients to check")
    }

    @Test("sampling keeps every class of the batch; the loss is the unsharded head's over the kept classes")
    func sampledCenters() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let group = try ProcessGroup(rendezvous: .file(folder.appendingPathComponent("store")), rank: 0,
                                     worldSize: 1, timeout: 5, host: "127.0.0.1")
        // 4 of 5 centers per step: the batch's 5 classes leave no room, so all are kept; with 3 positives
        // among 5 classes some negatives are dropped.
        let all = try Self.sharded(group: group, sampleRate: 0.8)
        #expect(Self.matches(all, rank: 0, ranks: 1))

        let head = try PartialFC(embeddingSize: 4, classes: 8, kind: Self.kind, sampleRate: 0.5, group: group)
        Runtime.seed(4)
        let embeddings = Tensor.randn([4, 4]).requiresGrad(true)
        let labels: [Int64] = [1, 6, 1, 3]
        let loss = try head.loss(embeddings, labels: Tensor(labels))
        loss.backward()
        let rows = head.weight.grad!.array(of: Float.self)
        let used = (0..<8).filter { row in rows[row * 4..<(row + 1) * 4].contains { $0 != 0 } }
        #expect(used.count == 4 && Set([1, 3, 6]).isSubset(of: used), "\(used)")
        let reference = MarginSoftmax(embeddingSize: 4, classes: used.count, kind: Self.kind)
        withoutGrad { _ = reference.weight.copy_(head.weight.indexSelect(0, Tensor(used.map(Int64.init)))) }
        let expected = reference.loss(embeddings.detached(),
                                      labels: Tensor(labels.map { Int64(used.firstIndex(of: Int($0))!) }))
        #expect(abs(loss.item - expected.item) < 1e-5)
    }

    @Test("a label outside the classes, softmax, or more ranks than classes is refused")
    func refusals() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let group = try ProcessGroup(rendezvous: .file(folder.appendingPathComponent("store")), rank: 0,
                                     worldSize: 1, timeout: 5, host: "127.0.0.1")
        let head = try PartialFC(embeddingSize: 4, classes: 3, kind: Self.kind, group: group)
        #expect(throws: DataError.self) { try head.loss(Tensor.randn([2, 4]), labels: Tensor([Int64(0), 3])) }
        #expect(throws: DataError.self) {
            try PartialFC(embeddingSize: 4, classes: 3, kind: .softmax, group: group)
        }
        #expect(throws: DataError.self) {
            try PartialFC(embeddingSize: 4, classes: 3, kind: Self.kind, sampleRate: 0, group: group)
        }
        #expect(PartialFC.classRange(classes: 5, rank: 1, ranks: 2) == 3..<5)
        #expect(PartialFC.classRange(classes: 7, rank: 2, ranks: 3) == 5..<7)
    }
}
