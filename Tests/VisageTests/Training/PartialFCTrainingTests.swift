import Foundation
import Testing
import Torch
@testable import Visage

/// Recognition training of a BN-free backbone with a margin head, Partial FC or not, that can kill its process.
final class KillableClassification: LossObjective {
    let inner: ClassificationObjective
    /// The step at which this process kills itself with SIGKILL (a dying rank).
    var killAt: Int?

    init(backbone: Module, head: any ClassificationHead) {
        inner = ClassificationObjective(backbone: backbone, head: head)
    }

    var modules: [String: Module] { inner.modules }
    var clippedModules: Set<String> { inner.clippedModules }
    var shardedModules: Set<String> { inner.shardedModules }

    func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        if step == killAt { kill(getpid(), SIGKILL) }
        return try inner.losses(on: batch, step: step)
    }
}

/// Partial FC in the ``Trainer``: two ranks on a FileStore — this test process rank 0, an exit-test child
/// rank 1 — each holding its share of 5 classes (3 and 2), against one process with the whole margin head.
@Suite("Partial FC training", .serialized)
struct PartialFCTrainingTests {
    static let folderVariable = "VISAGE_PARTIAL_FC_TRAINING_FOLDER"
    static let killVariable = "VISAGE_PARTIAL_FC_TRAINING_KILL_AT"
    static let runVariable = "VISAGE_PARTIAL_FC_TRAINING_RUN"
    static let resumeVariable = "VISAGE_PARTIAL_FC_TRAINING_RESUME"
    static let classes = 5

    /// Rank `rank` of `worldSize` (one process when `store` is nil) training into `output`: the backbone
    /// initialized from `seed`, the centers (the whole head's, or this rank's rows of it) always the same.
    static func train(output: URL, store: URL?, rank: Int = 0, worldSize: Int = 1, partial: Bool, seed: UInt64,
                      killAt: Int? = nil, resume: Bool = false) throws -> KillableClassification {
        let dataParallel = try store.map {
            DataParallel(group: try ProcessGroup(rendezvous: .file($0), rank: rank, worldSize: worldSize,
                                                 timeout: 20, host: "127.0.0.1"))
        }
        Runtime.seed(seed)
        let backbone = Sequential([Flatten(), Linear(64, 16), ReLU()])
        Runtime.seed(7)
        let whole = MarginSoftmax(embeddingSize: 16, classes: classes, kind: .arcFace(scale: 8, margin: 0.3))
        var head: any ClassificationHead = whole
        if partial {
            let share = try PartialFC(embeddingSize: 16, classes: classes, kind: whole.kind,
                                      group: dataParallel?.group)
            withoutGrad {
                _ = share.weight.copy_(whole.weight.narrow(0, start: share.classRange.lowerBound,
                                                           length: share.classRange.count))
            }
            head = share
        }
        let objective = KillableClassification(backbone: backbone, head: head)
        objective.killAt = killAt
        try DataParallelTests.run(objective, on: TinyFaces(classes: classes), output: output, dataParallel: dataParallel,
                                  resume: resume)
        return objective
    }

    /// The child's end: rank 1 of 2 in the parent's folder, into the run the parent named, from other backbone
    /// weights than rank 0's.
    static func trainRankOne() throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = URL(fileURLWithPath: environment[folderVariable]!)
        _ = try train(output: folder.appendingPathComponent(environment[runVariable]!),
                      store: folder.appendingPathComponent(environment[runVariable]! + "-store"), rank: 1,
                      worldSize: 2, partial: true, seed: 99, killAt: environment[killVariable].flatMap { Int($0) },
                      resume: environment[resumeVariable] != nil)
    }

    /// Runs rank 0 here and rank 1 in a child process into `folder/run`, the child ending as `childEnd`;
    /// rank 0's trained backbone, or its error.
    static func twoRanks(folder: URL, run: String, killAt: Int? = nil, resume: Bool = false,
                         childEnd: ExitTest.Condition = .success) async throws
        -> (backbone: [String: [Float]]?, failure: String?)
    {
        setenv(folderVariable, folder.path, 1)
        setenv(runVariable, run, 1)
        if let killAt { setenv(killVariable, "\(killAt)", 1) } else { unsetenv(killVariable) }
        if resume { setenv(resumeVariable, "1", 1) } else { unsetenv(resumeVariable) }
        defer {
            unsetenv(killVariable)
            unsetenv(resumeVariable)
        }
        // A fresh store for every meeting of the ranks.
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(run + "-store"))
        async let child = #expect(processExitsWith: childEnd) { try PartialFCTrainingTests.trainRankOne() }
        let result = try await onOwnThread { () -> ([String: [Float]]?, String?) in
            do {
                let objective = try Self.train(output: folder.appendingPathComponent(run),
                                               store: folder.appendingPathComponent(run + "-store"), rank: 0,
                                               worldSize: 2, partial: true, seed: 11, resume: resume)
                return (objective.snapshot().filter { $0.key.hasPrefix("backbone.") }, nil)
            } catch {
                return (nil, "\(error)")
            }
        }
        _ = await child
        return result
    }

    /// The backbone's parameters and the whole set of centers (the ranks' shares of the last checkpoint of
    /// `run`, concatenated), by key.
    static func trained(backbone: [String: [Float]]?, run: URL, ranks: Int) throws -> [String: [Float]] {
        var result = try #require(backbone)
        let latest = try #require(CheckpointStore(directory: run.appendingPathComponent("checkpoints"), kept: 3).latest)
        result["head.weight"] = try (0..<ranks).flatMap { rank in
            try SafeTensors.read(from: latest.appendingPathComponent(
                CheckpointStore.shardFile("head", rank: rank, ranks: ranks))).tensors["weight"]!.array(of: Float.self)
        }
        return result
    }

    @Test("2 ranks with Partial FC end with the backbone and centers of 1 process with the whole head")
    func twoRanksEqualOneProcess() async throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ranked = try await Self.twoRanks(folder: folder, run: "run")
        #expect(ranked.failure == nil)
        let sharded = try Self.trained(backbone: ranked.backbone, run: folder.appendingPathComponent("run"), ranks: 2)
        let single = try Self.train(output: folder.appendingPathComponent("single"), store: nil, partial: false,
                                    seed: 11).snapshot()
        #expect(sharded.keys.sorted() == single.keys.sorted())
        #expect(DataParallelTests.differences(sharded, single, tolerance: 1e-5).isEmpty,
                "\(DataParallelTests.differences(sharded, single, tolerance: 1e-5))")
        // The centers moved; rank 0 holds classes 0..<3 only, and each rank checkpointed its share and momentum.
        Runtime.seed(7)
        let initial = MarginSoftmax(embeddingSize: 16, classes: Self.classes, kind: .arcFace(scale: 8, margin: 0.3))
        #expect(sharded["head.weight"] != initial.weight.array(of: Float.self))
        let latest = try #require(CheckpointStore(directory: folder.appendingPathComponent("run/checkpoints"),
                                                  kept: 3).latest)
        #expect(try SafeTensors.read(from: latest.appendingPathComponent("head.rank-0-of-2.safetensors"))
            .tensors["weight"]?.shape == [3, 16])
        let files = try FileManager.default.contentsOfDirectory(atPath: latest.path).sorted()
        #expect(files == ["backbone.safetensors", "head.rank-0-of-2.safetensors", "head.rank-1-of-2.safetensors",
                          "optimizer.safetensors", "sharded_optimizer.rank-0-of-2.safetensors",
                          "sharded_optimizer.rank-1-of-2.safetensors", "trainer.json"])
        // The control: the backbone was broadcast from rank 0 (rank 1 started elsewhere), the centers were not.
        let other = try Self.train(output: folder.appendingPathComponent("other"), store: nil, partial: false,
                                   seed: 99).snapshot()
        #expect(!DataParallelTests.differences(other, single).isEmpty)
    }

    @Test("a killed Partial FC rank resumes on 2 ranks exactly as the uninterrupted run, and not on 1")
    func killAndResume() async throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("run")
        let killed = try await Self.twoRanks(folder: folder, run: "run", killAt: 5, childEnd: .signal(SIGKILL))
        let failure = try #require(killed.failure)
        #expect(failure.hasPrefix("rank 0 of 2: "), "\(failure)")
        let store = CheckpointStore(directory: run.appendingPathComponent("checkpoints"), kept: 3)
        #expect(store.latest?.lastPathComponent == CheckpointStore.folderName(step: 3))

        // One process cannot take over the two ranks' shares.
        do {
            _ = try Self.train(output: run, store: nil, partial: true, seed: 42, resume: true)
            Issue.record("a resume on 1 process of a 2-rank Partial FC run should be refused")
        } catch let error as TrainingError {
            guard case .shardedRanksMismatch(_, let modules, let checkpointRanks, let ranks) = error else {
                throw error
            }
            #expect(modules == ["head"] && checkpointRanks == 2 && ranks == 1)
            #expect("\(error)".contains("on 1 rank") && "\(error)".contains("split over 2 ranks"), "\(error)")
        }

        let resumed = try await Self.twoRanks(folder: folder, run: "run", resume: true)
        let uninterrupted = try await Self.twoRanks(folder: folder, run: "whole")
        #expect(resumed.failure == nil && uninterrupted.failure == nil)
        let a = try Self.trained(backbone: resumed.backbone, run: run, ranks: 2)
        let b = try Self.trained(backbone: uninterrupted.backbone, run: folder.appendingPathComponent("whole"), ranks: 2)
        #expect(DataParallelTests.differences(a, b, tolerance: 0).isEmpty)
        let momentum = { (run: String) in
            try SafeTensors.read(from: folder.appendingPathComponent(run).appendingPathComponent(
                "checkpoints/step-00000009/sharded_optimizer.rank-1-of-2.safetensors")).tensors
                .mapValues { $0.array(of: Float.self) }
        }
        #expect(try momentum("run") == momentum("whole"))
    }

    /// An objective naming `sharded` its sharded modules, with one SGD over every parameter.
    final class OneOptimizer: TrainingObjective {
        let embedder = Linear(64, 4), head = Linear(4, 2)
        let sharded: Set<String>
        init(sharded: Set<String>) { self.sharded = sharded }
        var modules: [String: Module] { ["embedder": embedder, "head": head] }
        var shardedModules: Set<String> { sharded }
        func updates(config: TrainingConfig) throws -> [TrainingUpdate] {
            let optimizer = try SGD(embedder.parameters() + head.parameters(), learningRate: 0.1)
            return [TrainingUpdate(name: "loss", optimizers: ["optimizer": optimizer]) { _, _ in [:] }]
        }
    }

    @Test("a sharded module that is not a module, or an optimizer stepping sharded and shared parameters, is refused")
    func shardedModuleChecks() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (sharded, expected) in [(["head"], "optimizer of their own"), (["tail"], "\"tail\" is not one of")] {
            do {
                _ = try Trainer(objective: OneOptimizer(sharded: Set(sharded)), loader: TrainingFixtures.loader(),
                                config: TrainingFixtures.config(output: folder))
                Issue.record("\(sharded) should be refused")
            } catch let error as TrainingError {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
