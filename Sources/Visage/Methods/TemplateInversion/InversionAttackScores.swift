import Foundation
import Torch

/// How often an engine accepts faces reconstructed from its own templates — the success rates of the template
/// inversion attack (Vec2Face-v2 §VI), computed from the engine's templates of the real photos and of the
/// reconstructions.
///
/// - type I: the reconstruction of photo i against photo i's own template;
/// - type II: the reconstruction of photo i against the template of another photo j of the same person;
///
/// each at the engine's threshold and at the thresholds where real impostors — every pair of real photos of
/// different people among the templates — are falsely accepted at the given rates (FAR). A rate is measurable
/// only with at least 1/FAR impostor pairs; rows that are not are left out.
public struct InversionAttackScores: Sendable, Codable, Equatable {
    /// One operating point: a threshold and the attack's success there.
    public struct OperatingPoint: Sendable, Codable, Equatable {
        /// "engine threshold" or "FAR 0.1 %".
        public var name: String
        public var threshold: Double
        /// Fraction of real impostor pairs at or above the threshold.
        public var falseAcceptRate: Double
        /// Fraction of reconstructions accepted as their own photo.
        public var typeI: Double
        /// Fraction of (reconstruction, other photo of the person) pairs accepted; nil without such pairs.
        public var typeII: Double?
    }

    /// The engine stamp.
    public var engine: String
    public var images: Int
    public var impostorPairs: Int
    public var typeIIPairs: Int
    /// Mean cosine between each reconstruction's template and its photo's.
    public var meanTypeICosine: Double
    public var points: [OperatingPoint]

    /// Scores of `reconstructed` (row i: the engine's template of the reconstruction of photo i) against `real`
    /// (row i: photo i's template), photos labelled by `identities`.
    /// - Throws: ``DataError/invalidArgument(_:)`` when the matrices differ in shape, a label count differs, or
    ///   there are no rows.
    public init(engine: String, real: FeatureMatrix, reconstructed: FeatureMatrix, identities: [Int],
                engineThreshold: Double?, falseAcceptRates: [Double] = [0.001, 0.01]) throws {
        guard real.rows > 0, real.rows == reconstructed.rows, real.columns == reconstructed.columns,
              identities.count == real.rows else {
            throw DataError.invalidArgument("the attack needs as many reconstructions as real templates, of the same "
                + "length, and one identity each: \(real.rows)×\(real.columns) real, \(reconstructed.rows)×"
                + "\(reconstructed.columns) reconstructed, \(identities.count) identities")
        }
        func unit(_ matrix: FeatureMatrix) throws -> Tensor {
            Functional.normalize(try Tensor(matrix.values, shape: [matrix.rows, matrix.columns]), dim: 1)
        }
        let realUnit = try unit(real), fakeUnit = try unit(reconstructed)
        let n = real.rows
        let realScores = realUnit.matmul(realUnit.transposed()).contiguous().array(of: Float.self)
        let attackScores = fakeUnit.matmul(realUnit.transposed()).contiguous().array(of: Float.self)
        var impostors: [Double] = []
        var typeI: [Double] = []
        var typeII: [Double] = []
        for i in 0..<n {
            typeI.append(Double(attackScores[i * n + i]))
            for j in 0..<n where j != i {
                if identities[i] == identities[j] {
                    typeII.append(Double(attackScores[i * n + j]))
                } else if j > i {
                    impostors.append(Double(realScores[i * n + j]))
                }
            }
        }
        impostors.sort(by: >)
        var thresholds: [(String, Double)] = []
        if let engineThreshold { thresholds.append(("engine threshold", engineThreshold)) }
        for rate in falseAcceptRates where Double(impostors.count) * rate >= 1 {
            // The lowest threshold that accepts at most rate·count impostors: just above the k-th highest score.
            let k = Int((Double(impostors.count) * rate).rounded(.down))
            thresholds.append((String(format: "FAR %g %%", rate * 100), impostors[k].nextUp))
        }
        func rate(_ scores: [Double], _ threshold: Double) -> Double {
            Double(scores.count { $0 >= threshold }) / Double(max(scores.count, 1))
        }
        self.engine = engine
        images = n
        impostorPairs = impostors.count
        typeIIPairs = typeII.count
        meanTypeICosine = typeI.reduce(0, +) / Double(n)
        points = thresholds.map { name, threshold in
            OperatingPoint(name: name, threshold: threshold, falseAcceptRate: rate(impostors, threshold),
                           typeI: rate(typeI, threshold), typeII: typeII.isEmpty ? nil : rate(typeII, threshold))
        }
    }
}
