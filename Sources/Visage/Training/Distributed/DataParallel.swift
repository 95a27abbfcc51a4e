import Foundation
import Torch

/// Data-parallel training over a ``ProcessGroup``, as PyTorch's `DistributedDataParallel` under arcface_torch:
/// every rank holds the whole model and a share of every batch, starts from rank 0's parameters and buffers,
/// and after each backward pass replaces its gradients by the average over the ranks, all-reduced in buckets,
/// so every rank takes the same optimizer step.
///
/// Batch normalization stays local, as in arcface_torch (`broadcast_buffers=False`, no SyncBatchNorm): each
/// rank normalizes with its own share's statistics and keeps its own running averages, and the checkpoints
/// (written by rank 0 alone) hold rank 0's. A ``Trainer`` given a `DataParallel` does the rest: its loader gives
/// this rank's share of each global batch (``BatchShard``), rank 0 alone logs, validates and checkpoints (but for
/// the objective's sharded modules, of which every rank checkpoints its own share).
public final class DataParallel {
    /// The group the ranks exchange tensors in.
    public let group: ProcessGroup
    /// The most gradient bytes all-reduced in one call (arcface_torch's `bucket_cap_mb=16`).
    public let bucketCapacity: Int
    /// Parameters neither broadcast nor averaged: each rank's own shard (``PartialFC``'s class centers); a
    /// ``Trainer`` adds its objective's ``TrainingObjective/shardedModules``' parameters.
    public var localParameters: [Tensor] = []
    /// What the exchanges cost so far.
    public private(set) var statistics = Statistics()

    /// Communication measured over a run.
    public struct Statistics: Sendable {
        /// Gradient exchanges (backward passes) so far.
        public var exchanges = 0
        /// Elements of each bucket of the last exchange, in the order they were all-reduced.
        public var lastBucketElements: [Int] = []
        /// Seconds spent in all-reduce calls of gradients.
        public var gradientSeconds = 0.0
        /// Seconds spent flattening gradients into buckets and copying the averages back.
        public var bucketingSeconds = 0.0
        /// Seconds spent in the other collectives (the start's broadcast, the losses' averages).
        public var otherSeconds = 0.0
    }

    /// Data parallelism over `group`, all-reducing gradients in buckets of at most `bucketCapacity` bytes.
    public init(group: ProcessGroup, bucketCapacity: Int = 16 << 20) {
        self.group = group
        self.bucketCapacity = max(1, bucketCapacity)
    }

    /// This process's rank.
    public var rank: Int { group.rank }
    /// Number of ranks.
    public var worldSize: Int { group.worldSize }
    /// Whether this is rank 0, the one that writes the run's files.
    public var isPrimary: Bool { group.rank == 0 }
    /// This rank's share of every batch.
    public var shard: BatchShard { BatchShard(rank: group.rank, count: group.worldSize) }

    /// Replaces every parameter and buffer of `modules` by rank 0's, in buckets (``localParameters`` excepted).
    public func broadcastState(of modules: [String: Module]) throws {
        let started = Date()
        defer { statistics.otherSeconds += Date().timeIntervalSince(started) }
        let local = Set(localParameters.map(ParameterIdentity.init))
        let tensors = modules.sorted { $0.key < $1.key }.flatMap { $0.value.namedStateTensors().map(\.1) }
            .filter { !local.contains(ParameterIdentity($0)) }
        for dtype in Set(tensors.map(\.dtype)).sorted(by: { $0.rawValue < $1.rawValue }) {
            for bucket in buckets(tensors.filter { $0.dtype == dtype }) {
                try withoutGrad {
                    let flat = Self.flatten(bucket)
                    try group.broadcast(flat, from: 0)
                    Self.unflatten(flat, into: bucket)
                }
            }
        }
    }

    /// Replaces the gradients of `parameters` (those that have one, ``localParameters`` excepted) by their
    /// average over the ranks. Every rank must pass the same parameters with gradients of the same shapes.
    public func averageGradients(of parameters: [Tensor]) throws {
        let local = Set(localParameters.map(ParameterIdentity.init))
        // DDP's order: the last layers' gradients are ready first.
        let gradients = parameters.reversed().filter { !local.contains(ParameterIdentity($0)) }.compactMap(\.grad)
        if statistics.exchanges == 0 { try checkSameLayout(gradients) }
        var sizes: [Int] = []
        for bucket in buckets(gradients) {
            try withoutGrad {
                var started = Date()
                let flat = Self.flatten(bucket)
                statistics.bucketingSeconds += Date().timeIntervalSince(started)
                started = Date()
                try group.allReduce(flat)
                statistics.gradientSeconds += Date().timeIntervalSince(started)
                started = Date()
                _ = flat.div_(Double(worldSize))
                Self.unflatten(flat, into: bucket)
                statistics.bucketingSeconds += Date().timeIntervalSince(started)
                sizes.append(flat.count)
            }
        }
        statistics.exchanges += 1
        statistics.lastBucketElements = sizes
    }

    /// The mean over the ranks of each value (every rank passes the same names): the step's losses as one
    /// process with the whole batch would log them; a non-finite value on any rank makes every rank's mean
    /// non-finite, so all stop together.
    public func average(_ values: [String: Double]) throws -> [String: Double] {
        let started = Date()
        defer { statistics.otherSeconds += Date().timeIntervalSince(started) }
        let names = values.keys.sorted()
        let tensor = try Tensor(names.map { values[$0]! }, shape: [names.count])
        try group.allReduce(tensor)
        let sums = tensor.array(of: Double.self)
        return Dictionary(uniqueKeysWithValues: zip(names, sums.map { $0 / Double(worldSize) }))
    }

    /// Throws unless every rank passes gradients of the same shapes in the same order: a sum of mismatched
    /// buckets would silently mix unrelated parameters.
    private func checkSameLayout(_ gradients: [Tensor]) throws {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for size in gradients.flatMap({ $0.shape + [-1] }) {
            hash = (hash ^ UInt64(bitPattern: Int64(size))) &* 0x100_0000_01B3
        }
        // Exact in a double: 52 bits.
        let value = Double(hash >> 12)
        let extremes = try Tensor([value, -value], shape: [2])
        try group.allReduce(extremes, .max)
        let found = extremes.array(of: Double.self)
        guard found[0] == value, -found[1] == value else {
            throw ProcessGroupError(rank: rank, worldSize: worldSize, operation: "averaging gradients",
                                    message: "the ranks' parameters differ in number, shape or order "
                                        + "(this rank has \(gradients.count) gradients); every rank must train the same modules")
        }
    }

    /// Consecutive runs of `tensors` of at most ``bucketCapacity`` bytes (a larger tensor alone).
    private func buckets(_ tensors: [Tensor]) -> [[Tensor]] {
        var buckets: [[Tensor]] = []
        var current: [Tensor] = []
        var bytes = 0
        for tensor in tensors {
            let size = tensor.count * tensor.dtype.byteSize
            if !current.isEmpty && bytes + size > bucketCapacity {
                buckets.append(current)
                current = []
                bytes = 0
            }
            current.append(tensor)
            bytes += size
        }
        if !current.isEmpty { buckets.append(current) }
        return buckets
    }

    /// The tensors' elements, each in its logical (row-major) order, one after the other in a new tensor.
    private static func flatten(_ tensors: [Tensor]) -> Tensor {
        tensors.count == 1 ? tensors[0].reshaped([-1]).contiguous().clone() : Tensor.cat(tensors.map { $0.reshaped([-1]) })
    }

    /// Copies consecutive runs of `flat` back into `tensors`, whatever their memory layout.
    private static func unflatten(_ flat: Tensor, into tensors: [Tensor]) {
        var offset = 0
        for tensor in tensors {
            let count = tensor.count
            _ = tensor.copy_(flat.narrow(0, start: offset, length: count).view(tensor.shape))
            offset += count
        }
    }
}
