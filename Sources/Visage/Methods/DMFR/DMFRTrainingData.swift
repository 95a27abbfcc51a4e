import Foundation
import Torch

/// The cached trunk features DMFR's modes train on, as tensors: each real training image's row, its synthetic
/// copies in each ``SyntheticDomain`` and their zero-change copies, row for row, with the identity labels.
public struct DMFRTrainingData {
    /// Real images `[N, 512]`.
    public let real: Tensor
    /// Synthetic copies `[N, 512]` by domain.
    public let synthetic: [SyntheticDomain: Tensor]
    /// Zero-change copies `[N, 512]` by domain.
    public let zeroChange: [SyntheticDomain: Tensor]
    /// Identity label of each row.
    public let labels: [Int]
    /// Number of identities.
    public let classCount: Int
    /// Each row's image (`identity/file`).
    public let paths: [String]

    /// The data in tensors; every tensor must have a row per label.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the shapes disagree or a domain is missing.
    public init(real: Tensor, synthetic: [SyntheticDomain: Tensor], zeroChange: [SyntheticDomain: Tensor],
                labels: [Int], paths: [String]? = nil) throws {
        for domain in SyntheticDomain.allCases {
            guard let copy = synthetic[domain], let zero = zeroChange[domain],
                  copy.shape == real.shape, zero.shape == real.shape else {
                throw DataError.invalidArgument("DMFR training data needs \(domain) copies and zero-change copies "
                    + "shaped like the real rows \(real.shape)")
            }
        }
        guard real.rank == 2, real.shape[0] == labels.count, !labels.isEmpty else {
            throw DataError.invalidArgument("DMFR training data: \(real.shape) real rows for \(labels.count) labels")
        }
        self.real = real
        self.synthetic = synthetic
        self.zeroChange = zeroChange
        self.labels = labels
        classCount = (labels.max() ?? 0) + 1
        self.paths = paths ?? labels.indices.map { "row \($0)" }
    }

    /// The training sets of `cache`, checked to list the same images in the same order.
    public init(cache: DMFRFeatureSet) throws {
        let files = try DMFRFeatureSet.trainingSets.map { try cache.load($0) }
        if let mismatch = files.dropFirst().first(where: { $0.paths != files[0].paths }) {
            throw DataError.invalidArgument("\(mismatch.featuresURL?.path ?? "a training set") does not list the real "
                + "training images in their order; rebuild the cache")
        }
        func tensor(_ file: FeatureFile) throws -> Tensor {
            try Tensor(file.features.values, shape: [file.features.rows, file.features.columns])
        }
        let tensors = try files.map(tensor)
        try self.init(real: tensors[0], synthetic: [.pose: tensors[1], .quality: tensors[3]],
                      zeroChange: [.pose: tensors[2], .quality: tensors[4]],
                      labels: DMFRFeatureSet.labels(of: files[0]).labels, paths: files[0].paths)
    }

    /// Per row of `rows`, a synthetic copy from a domain drawn for that row, and its zero-change copy; the draw
    /// depends only on `seed`, `step` and the row's position, so a resumed run draws the same.
    public func mixedSynthetic(rows: Tensor, seed: UInt64, step: Int) -> (copies: Tensor, zeroChange: Tensor) {
        var generator = SeededRandom(seed: SeededRandom.derive(seed, UInt64(step), 17))
        let usePose = Tensor((0..<rows.size(0)).map { _ -> Float in generator.chance(0.5) ? 1 : 0 }).view([-1, 1]) .> 0.5
        let copies = synthetic[.pose]!.indexSelect(0, rows).where(usePose, synthetic[.quality]!.indexSelect(0, rows))
        let zero = zeroChange[.pose]!.indexSelect(0, rows).where(usePose, zeroChange[.quality]!.indexSelect(0, rows))
        return (copies, zero)
    }

    /// The source of row labels a ``RowBatchLoader`` needs.
    public func rowSource() throws -> ImageFileSource {
        try ImageFileSource(root: URL(fileURLWithPath: "/"), paths: paths, labels: labels)
    }
}
