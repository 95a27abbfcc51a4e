import Foundation
import Testing
import Torch
@testable import Visage

/// A classifier without batch normalization or dropout, so that two ranks with half the batch each compute
/// exactly the average gradient one process computes on the whole batch.
final class PlainObjective: LossObjective {
    let embedder: Sequential
    let classifier = Linear(16, 4)
    /// The step at which this process kills itself with SIGKILL (a dying rank).
    var killAt: Int?

    init() {
        embedder = Sequential([Flatten(), Linear(64, 16), ReLU()])
    }

    var modules: [String: Module] { ["embedder": embedder, "classifier": classifier] }

    func losses(on batch: Batch, step: Int) throws -> [String: Tensor] {
        if step == killAt { kill(getpid(), SIGKILL) }
        let logits = classifier(embedder(batch.images))
        let accuracy = withoutGrad { logits.argmax(1).eq(batch.labels).to(.float32).mean() }
        return ["loss": Functional.crossEntropy(logits, target: batch.labels), "accuracy": accuracy]
    }
}

/// Two ranks on a FileStore — this test process rank 0, an exit-test child rank 1 — against one process with the
/// same global batch.
@Suite("Data-parallel training", .serialized)
struct DataParallelTests {
    static let folderVariable = "VISAGE_DATA_PARALLEL_TEST_FOLDER"
    static let killVariable = "VISAGE_DATA_PARALLEL_TEST_KILL_AT"

    /// The run: 9 steps of batches of 8 (2 epochs of 5), momentum, weight decay, clipping, a checkpoint every 3.
    static func config(output: URL) -> TrainingConfig {
        TrainingConfig(
            length: .steps(9), batchSize: 8, learningRate: 0.2, momentum: 0.9, weightDecay: 5e-4,
            schedule: .multiStep(milestones: [6], gamma: 0.1), warmup: 2, warmupStartFactor: 0.25,
            gradientClipNorm: 2, checkpointInterval: 3, keptCheckpoints: 3, logInterval: 1, seed: 5,
            outputDirectory: output.path)
    }

    /// Rank `rank` of `worldSize` (one process when nil) training into `output`, its modules initialized from
    /// `seed`, killing itself at `killAt`.
    static func train(output: URL, store: URL?, rank: Int = 0, worldSize: Int = 1, seed: UInt64, killAt: Int? = nil,
                      resume: Bool = false) throws -> PlainObjective {
        Runtime.seed(seed)
        let objective = PlainObjective()
        objective.killAt = killAt
        let dataParallel = try store.map {
            DataParallel(group: try ProcessGroup(rendezvous: .file($0), rank: rank, worldSize: worldSize,
                                                 timeout: 20, host: "127.0.0.1"))
        }
        try run(objective, on: TinyFaces(), output: output, dataParallel: dataParallel, resume: resume)
        return objective
    }

    /// Trains `objective` on this rank's share of batches of 8 of `faces` with ``config(output:)``.
    static func run(_ objective: any TrainingObjective, on faces: TinyFaces, output: URL, dataParallel: DataParallel?,
                    resume: Bool) throws {
        let loader = try BatchLoader(source: faces, batchSize: 8, shuffle: true, dropLast: true, seed: 5,
                                     imageSize: 8, channels: 1, workers: 1,
                                     shard: dataParallel?.shard ?? .whole)
        let trainer = try Trainer(objective: objective, loader: loader, config: config(output: output),
                                  dataParallel: dataParallel)
        trainer.showsProgress = false
        _ = try trainer.run(resume: resume)
    }

    /// The child's end: rank 1 of 2 in the folder the parent named, from other initial weights than rank 0's.
    static func trainRankOne() throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = URL(fileURLWithPath: environment[folderVariable]!)
        _ = try train(output: folder.appendingPathComponent("run"), store: folder.appendingPathComponent("store"),
                      rank: 1, worldSize: 2, seed: 99, killAt: environment[killVariable].flatMap { Int($0) })
    }

    /// The keys whose values differ by more than `tolerance` anywhere.
    static func differences(_ a: [String: [Float]], _ b: [String: [Float]], tolerance: Float = 1e-5) -> [String] {
        a.keys.sorted().filter { key in
            guard let other = b[key], other.count == a[key]!.count else { return true }
            return zip(a[key]!, other).contains { abs($0 - $1) > tolerance }
        }
    }

    @Test("2 ranks with 4 faces each end with the parameters of 1 process with batches of 8")
    func twoRanksEqualOneProcess() async throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        setenv(Self.folderVariable, folder.path, 1)
        unsetenv(Self.killVariable)
        let run = folder.appendingPathComponent("run"), store = folder.appendingPathComponent("store")
        async let child = #expect(processExitsWith: .success) { try DataParallelTests.trainRankOne() }
        let ranked = try await onOwnThread {
            try Self.train(output: run, store: store, rank: 0, worldSize: 2, seed: 11).snapshot()
        }
        _ = await child
        let single = try Self.train(output: folder.appendingPathComponent("single"), store: nil, seed: 11).snapshot()
        #expect(ranked.keys.sorted() == single.keys.sorted())
        #expect(Self.differences(ranked, single).isEmpty)
        // The control: a run from rank 1's initial weights ends elsewhere, so the broadcast mattered.
        let other = try Self.train(output: folder.appendingPathComponent("other"), store: nil, seed: 99).snapshot()
        #expect(!Self.differences(other, single).isEmpty)
        // Rank 0 logged the ranks' mean losses, as one process logs the whole batch's.
        let logged = try TrainingFixtures.logLines(in: run).filter { $0["kind"] as? String == "train" }
        let reference = try TrainingFixtures.logLines(in: folder.appendingPathComponent("single"))
            .filter { $0["kind"] as? String == "train" }
        #expect(logged.count == 9 && reference.count == 9)
        for (a, b) in zip(logged, reference) {
            #expect(abs((a["loss"] as! Double) - (b["loss"] as! Double)) < 1e-5)
            #expect(a["world_size"] as? Int == 2)
        }
    }

    @Test("a killed rank stops the other with an error naming its rank; the run resumes on 1 process")
    func killedRankStopsTheOtherAndTheRunResumes() async throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        setenv(Self.folderVariable, folder.path, 1)
        setenv(Self.killVariable, "5", 1)
        defer { unsetenv(Self.killVariable) }
        let run = folder.appendingPathComponent("run"), store = folder.appendingPathComponent("store")
        async let child = #expect(processExitsWith: .signal(SIGKILL)) { try DataParallelTests.trainRankOne() }
        let (failure, seconds) = try await onOwnThread { () -> (String?, Double) in
            let started = Date()
            do {
                _ = try Self.train(output: run, store: store, rank: 0, worldSize: 2, seed: 11)
                return (nil, Date().timeIntervalSince(started))
            } catch {
                return ("\(error)", Date().timeIntervalSince(started))
            }
        }
        _ = await child
        let message = try #require(failure)
        #expect(message.hasPrefix("rank 0 of 2: "), "\(message)")
        #expect(seconds < 20, "the other rank should stop within the 20 s timeout, took \(seconds) s")
        #expect(CheckpointStore(directory: run.appendingPathComponent("checkpoints"), kept: 3).latest?
            .lastPathComponent == CheckpointStore.folderName(step: 3))

        // Resumed from step 3 on one process (1 divides the batch of 8): the uninterrupted run's parameters.
        let resumed = try Self.train(output: run, store: nil, seed: 42, resume: true).snapshot()
        let single = try Self.train(output: folder.appendingPathComponent("single"), store: nil, seed: 11).snapshot()
        #expect(Self.differences(resumed, single).isEmpty)
    }

    @Test("a group of one trains exactly as no group")
    func groupOfOne() throws {
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try Self.train(output: folder.appendingPathComponent("a"), store: folder.appendingPathComponent("s"),
                               rank: 0, worldSize: 1, seed: 11).snapshot()
        let b = try Self.train(output: folder.appendingPathComponent("b"), store: nil, seed: 11).snapshot()
        #expect(Self.differences(a, b, tolerance: 0).isEmpty)
    }

    @Test("a loader that does not give the rank's share, or a batch the ranks cannot share, is refused")
    func shardChecks() throws {
        #expect(throws: DataError.self) {
            try BatchLoader(source: TinyFaces(), batchSize: 8, dropLast: true, shard: BatchShard(rank: 0, count: 3))
        }
        let loader = try BatchLoader(source: TinyFaces(), batchSize: 8, shuffle: true, dropLast: true, seed: 5,
                                     imageSize: 8, channels: 1, workers: 1, shard: BatchShard(rank: 1, count: 2))
        // Rank 1's part of each batch is the second half of the whole batch.
        #expect(try loader.epoch(0).next()?.indices == Array(loader.batchIndices(epoch: 0)[0][4..<8]))
        let folder = try TrainingFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let group = try ProcessGroup(rendezvous: .file(folder.appendingPathComponent("store")), rank: 0,
                                     worldSize: 1, timeout: 5, host: "127.0.0.1")
        #expect(throws: TrainingError.self) {
            try Trainer(objective: PlainObjective(), loader: loader, config: Self.config(output: folder),
                        dataParallel: DataParallel(group: group))
        }
    }
}
