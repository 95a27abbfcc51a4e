import Foundation
import Torch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of training checkpoints, each written atomically, the newest few kept, `latest` naming the newest.
///
/// ```
/// checkpoints/
///   step-00002000/   backbone.safetensors  head.safetensors  optimizer.safetensors  trainer.json
///   step-00004000/   …
///   latest -> step-00004000
/// ```
///
/// A checkpoint folder is assembled under a hidden temporary name, every file flushed to disk, and then renamed
/// into place; `latest` is a symbolic link replaced by a rename too. A process killed at any moment therefore
/// leaves `latest` pointing at a complete checkpoint. Modules are safetensors state dicts (loadable in Python),
/// each optimizer's state is a safetensors file in ``OptimizerState``'s layout (`optimizer.safetensors` for
/// a one-optimizer objective, `NAME.safetensors` for each of several), and `trainer.json` is a ``TrainerState``.
///
/// **Sharded state.** Modules and optimizers whose state is each rank's own (``Shards``: Partial FC's class
/// centers and their momentum) are written by every rank, as `NAME.rank-R-of-N.safetensors`, into the folder
/// rank 0 assembles: rank 0 creates it, the ranks write their files, and after a barrier rank 0 checks that every
/// rank's files are there and publishes the checkpoint as above. The output folder must then be one folder that
/// every rank writes (shared across hosts).
public struct CheckpointStore: Sendable {
    /// The folder holding the checkpoints.
    public let directory: URL
    /// How many checkpoints to keep; older ones are deleted after each save.
    public let kept: Int

    /// The file of the ``TrainerState`` in a checkpoint.
    public static let stateFile = "trainer.json"

    /// Validation metrics may be NaN or infinite; JSON has no such numbers, so they are written as strings.
    private static let nonFiniteNumbers = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// A store in `directory` keeping the newest `kept` checkpoints.
    public init(directory: URL, kept: Int) {
        self.directory = directory
        self.kept = max(1, kept)
    }

    /// The folder name of the checkpoint after `step` steps.
    public static func folderName(step: Int) -> String {
        String(format: "step-%08d", step)
    }

    /// The file of module or optimizer `name` in a checkpoint.
    public static func moduleFile(_ name: String) -> String { name + ".safetensors" }

    /// The file of rank `rank`'s share of sharded module or optimizer `name`, of `ranks` shares.
    public static func shardFile(_ name: String, rank: Int, ranks: Int) -> String {
        "\(name).rank-\(rank)-of-\(ranks).safetensors"
    }

    /// The modules and optimizers whose state is each rank's own, and the ranks that write a checkpoint together.
    public struct Shards {
        /// Names of the sharded modules and optimizers.
        public var names: Set<String>
        /// The ranks; nil for one process.
        public var group: ProcessGroup?

        public init(names: Set<String>, group: ProcessGroup?) {
            self.names = names
            self.group = group
        }

        /// This process's rank.
        public var rank: Int { group?.rank ?? 0 }
        /// Number of ranks.
        public var ranks: Int { group?.worldSize ?? 1 }

        /// The checkpoint file of module or optimizer `name` for this rank.
        func file(_ name: String) -> String {
            names.contains(name) ? CheckpointStore.shardFile(name, rank: rank, ranks: ranks) : CheckpointStore.moduleFile(name)
        }

        /// Waits for every rank (nothing to wait for alone).
        func barrier() throws {
            if ranks > 1 { try group?.barrier() }
        }
    }

    /// The checkpoint `latest` points at, nil when there is none.
    public var latest: URL? {
        let link = directory.appendingPathComponent("latest")
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) else { return nil }
        return target.hasPrefix("/")
            ? URL(fileURLWithPath: target, isDirectory: true) : directory.appendingPathComponent(target, isDirectory: true)
    }

    /// The checkpoint folders present, oldest first, with their steps.
    public var checkpoints: [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("step-"), let step = Int(name.dropFirst(5)) else { return nil }
            return (step, directory.appendingPathComponent(name, isDirectory: true))
        }.sorted { $0.0 < $1.0 }
    }

    /// Writes a checkpoint of `modules`, `optimizers` and `state` for step `state.step`, points `latest` at it,
    /// deletes all but the newest ``kept``, and returns its folder. A checkpoint already there for that step
    /// is replaced.
    ///
    /// With `shards` every rank calls this at the same step: each writes its share of the sharded modules and
    /// optimizers, rank 0 everything else and publishes the checkpoint once every rank's files are in it.
    @discardableResult
    public func save(modules: [String: Module], optimizers: [String: any Optimizer], state: TrainerState,
                     shards: Shards? = nil) throws -> URL
    {
        let name = Self.folderName(step: state.step)
        let destination = directory.appendingPathComponent(name, isDirectory: true)
        let rank = shards?.rank ?? 0, ranks = shards?.ranks ?? 1
        // Several ranks must find the folder rank 0 assembles; one process gets a name no other could use.
        let temporary = directory.appendingPathComponent(
            ranks > 1 ? ".\(name).tmp-ranks" : ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
            isDirectory: true)
        if rank == 0 {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            removeLeftovers()
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
        }
        try shards?.barrier()
        let own = rank == 0 ? nil : shards?.names
        if rank != 0, !FileManager.default.fileExists(atPath: temporary.path) {
            throw CheckpointError(path: temporary.path, "rank 0's checkpoint folder is not there: with sharded "
                + "modules (Partial FC) every rank must write into the same, shared output folder")
        }
        do {
            let file = { (name: String) in temporary.appendingPathComponent(shards?.file(name) ?? Self.moduleFile(name)) }
            for (moduleName, module) in modules where own?.contains(moduleName) ?? true {
                var metadata = ["step": "\(state.step)", "module": moduleName]
                if shards?.names.contains(moduleName) == true { metadata["rank"] = "\(rank) of \(ranks)" }
                try module.save(to: file(moduleName), metadata: metadata)
            }
            for (optimizerName, optimizer) in optimizers where own?.contains(optimizerName) ?? true {
                let optimizerState = optimizer.stateDict()
                try SafeTensors.write(optimizerState.tensors, metadata: optimizerState.metadata,
                                      to: file(optimizerName))
            }
            if rank == 0 {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteNumbers
                try AtomicFile.write(try encoder.encode(state), to: temporary.appendingPathComponent(Self.stateFile))
            }
        } catch {
            if rank == 0 { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        try shards?.barrier()
        guard rank == 0 else { return destination }
        if let shards {
            for shardName in shards.names.sorted() {
                for other in 1..<max(ranks, 1) {
                    let url = temporary.appendingPathComponent(Self.shardFile(shardName, rank: other, ranks: ranks))
                    guard FileManager.default.fileExists(atPath: url.path) else {
                        try? FileManager.default.removeItem(at: temporary)
                        throw CheckpointError(path: url.path, "rank \(other) did not write its share of \(shardName) "
                            + "here: with sharded modules (Partial FC) every rank must write into the same, shared "
                            + "output folder")
                    }
                }
            }
        }
        if FileManager.default.fileExists(atPath: destination.path) {
            let stale = directory.appendingPathComponent(".\(name).replaced-\(getpid())", isDirectory: true)
            try move(destination, to: stale)
            try move(temporary, to: destination)
            try? FileManager.default.removeItem(at: stale)
        } else {
            try move(temporary, to: destination)
        }
        try pointLatest(at: name)
        syncDirectory()
        for old in checkpoints.dropLast(kept) where old.url.lastPathComponent != name {
            try? FileManager.default.removeItem(at: old.url)
        }
        return destination
    }

    /// Reads the ``TrainerState`` of the checkpoint in `folder`.
    public func state(at folder: URL) throws(CheckpointError) -> TrainerState {
        let url = folder.appendingPathComponent(Self.stateFile)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError(path: url.path, "cannot read the trainer state: \(error.localizedDescription)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.nonFiniteDecoding
            return try decoder.decode(TrainerState.self, from: data)
        } catch {
            throw CheckpointError(path: url.path, "not a valid trainer state: \(error)")
        }
    }

    /// Loads the checkpoint in `folder` into `modules` (strictly: every key, every shape) and `optimizers`,
    /// the sharded ones from this rank's files.
    public func restore(_ folder: URL, modules: [String: Module], optimizers: [String: any Optimizer],
                        shards: Shards? = nil) throws {
        let file = { (name: String) in folder.appendingPathComponent(shards?.file(name) ?? Self.moduleFile(name)) }
        for (name, module) in modules.sorted(by: { $0.key < $1.key }) {
            try module.load(from: file(name), strict: true)
        }
        for (name, optimizer) in optimizers.sorted(by: { $0.key < $1.key }) {
            let url = file(name)
            let contents = try SafeTensors.read(from: url)
            do {
                try optimizer.loadStateDict(OptimizerState(tensors: contents.tensors, metadata: contents.metadata))
            } catch {
                throw CheckpointError(path: url.path, "\(error)")
            }
        }
    }

    /// Renames `source` to `destination` (both in ``directory``).
    private func move(_ source: URL, to destination: URL) throws(CheckpointError) {
        guard rename(source.path, destination.path) == 0 else {
            throw CheckpointError(path: destination.path,
                                  "cannot move \(source.lastPathComponent) into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces the `latest` link with one to `name`, atomically.
    private func pointLatest(at name: String) throws(CheckpointError) {
        let link = directory.appendingPathComponent("latest")
        let temporary = directory.appendingPathComponent(".latest.tmp-\(getpid())")
        unlink(temporary.path)
        guard symlink(name, temporary.path) == 0 else {
            throw CheckpointError(path: link.path, "cannot create the link: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary.path, link.path) == 0 else {
            unlink(temporary.path)
            throw CheckpointError(path: link.path, "cannot replace the link: \(String(cString: strerror(errno)))")
        }
    }

    /// Deletes the temporary folders of saves interrupted by a killed process.
    private func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".step-") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Flushes the folder's entries (the renames) to disk; file systems that cannot are not an error.
    private func syncDirectory() {
        let descriptor = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
