import Foundation
import Torch

/// A model's row of DMFR's table: verification with all-vs-all impostors on each protocol of a
/// ``DMFRFeatureSet``, and the inter-class similarity diagnostic.
public struct DMFREvaluation: Sendable {
    /// The protocols, in table order: name, first set, second set, whether the sets are copies of the same images.
    public static let protocols: [(name: String, first: String, second: String, sameImages: Bool)] = [
        ("LFW", "lfw-real", "lfw-real", true), ("CQ", "lfw-real", "lfw-cq", true),
        ("CP", "lfw-real", "lfw-cp", true), ("YaleB-hard", "yaleb-frontal", "yaleb-extreme", false),
    ]

    /// One protocol's figures.
    public struct Row: Sendable {
        public var name: String
        public var genuinePairs: Int
        public var impostorPairs: Int
        public var tarAt1e3: Double
        public var tarAt1e4: Double
        /// Whether FAR 1e-4 admits at least ten false accepts here (``AllPairsVerification/measures(falseAcceptRate:)``).
        public var measures1e4: Bool
        public var balancedAccuracy: Double
        public var meanGenuine: Double
        public var meanImpostor: Double
    }

    public let rows: [Row]

    /// Evaluates the embedding `embed` (trunk features → embeddings) on every protocol of `cache`.
    public init(cache: DMFRFeatureSet, embed: (Tensor) -> Tensor) throws {
        // Each set embedded once; labels by identity name, shared across the two sets of a protocol.
        var embedded: [String: (features: FeatureMatrix, identities: [String])] = [:]
        for name in Set(Self.protocols.flatMap { [$0.first, $0.second] }) {
            let file = try cache.load(name)
            let trunk = try Tensor(file.features.values, shape: [file.features.rows, file.features.columns])
            let output = withoutGrad { Functional.normalize(embed(trunk)).contiguous() }
            embedded[name] = (try FeatureMatrix(rows: output.size(0), columns: output.size(1),
                                                values: output.array(of: Float.self)),
                              file.paths.map { String($0.split(separator: "/").dropLast().last ?? "") })
        }
        let labelNames = embedded.mapValues(\.identities)
        rows = try Self.protocols.map { spec in
            let first = embedded[spec.first]!.features, second = embedded[spec.second]!.features
            let names = Array(Set(labelNames[spec.first]! + labelNames[spec.second]!)).sorted()
            let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            let verification = try AllPairsVerification(
                first: first, firstLabels: labelNames[spec.first]!.map { index[$0]! },
                second: second, secondLabels: labelNames[spec.second]!.map { index[$0]! }, sameImages: spec.sameImages)
            return Row(name: spec.name, genuinePairs: verification.genuine.count,
                       impostorPairs: verification.impostors.count,
                       tarAt1e3: verification.trueAcceptRate(atFalseAcceptRate: 1e-3),
                       tarAt1e4: verification.trueAcceptRate(atFalseAcceptRate: 1e-4),
                       measures1e4: verification.measures(falseAcceptRate: 1e-4),
                       balancedAccuracy: verification.balancedAccuracy,
                       meanGenuine: verification.meanGenuineScore, meanImpostor: verification.meanImpostorScore)
        }
    }
}
