import Foundation
import Testing
import Torch
@testable import Visage

/// The DDL against a float64 PyTorch reference written from the method's description
/// (`/usr/bin/python3 scripts/loss_references.py`), on two streams of 6 embeddings of 4 dimensions, 3 identities.
@Suite("Distribution distillation loss")
struct DistributionDistillationLossTests {
    static let easy: [Double] = [
        1.0, 0.2, 0.0, 0.1, 0.9, 0.3, 0.1, 0.0, 0.0, 1.0, 0.2, 0.1,
        0.1, 0.8, 0.0, 0.3, 0.2, 0.1, 1.0, 0.0, 0.0, 0.3, 0.9, 0.2,
    ]
    static let hard: [Double] = [
        0.7, 0.5, 0.2, 0.3, 0.5, 0.4, 0.3, 0.1, 0.3, 0.9, 0.4, 0.1,
        0.4, 0.6, 0.1, 0.5, 0.3, 0.4, 0.8, 0.3, 0.2, 0.5, 0.6, 0.5,
    ]
    static let labels: [Int64] = [0, 0, 1, 1, 2, 2]

    /// Expected terms (total, positive KL, negative KL, order) and hard-stream gradient for one configuration.
    struct Reference: CustomTestStringConvertible, Sendable {
        var bins: Int
        var hardLabels: [Int64]
        var terms: [Double]
        var gradHard: [Double]
        var testDescription: String { "\(bins) bins, hard labels \(hardLabels)" }
    }

    static let references: [Reference] = [
        Reference(
            bins: 201, hardLabels: labels, terms: [-0.39809432, 0.0887580443, 9.01760599, -1.17464449],
            gradHard: [
                -0.0743984903, 0.0510104875, -0.112705532, 0.163716019, -0.40968177, 0.192148856, 0.42104889,
                0.0166667601, 0.0829567195, -0.0629386107, 0.130810689, -0.20566542, 0.0917160863, -0.219344419,
                0.150666322, 0.159707169, 0.247952154, 0.0558082602, -0.066836286, -0.144133072, 0.0891781798,
                0.152419005, -0.27325362, 0.139814067,
            ]),
        Reference(
            bins: 51, hardLabels: labels, terms: [-0.395324905, 0.0875495694, 9.16211915, -1.17464449],
            gradHard: [
                -0.07486376, 0.0512099088, -0.11436705, 0.165576958, -0.419344533, 0.193150501, 0.434803305,
                0.0197107457, 0.0861372337, -0.063978069, 0.130001949, -0.202616878, 0.0892437917, -0.21803789,
                0.162469628, 0.157756508, 0.256810236, 0.0591807598, -0.0705398622, -0.147611616, 0.0931086982,
                0.157053488, -0.281273135, 0.143230794,
            ]),
        // The hard stream has no same-identity pair: no positive KL, and the order sum keeps P⁺'s two pairs.
        Reference(
            bins: 201, hardLabels: [0, 1, 2, 3, 4, 5], terms: [-0.063367667, 0, 10.9503498, -0.564749325],
            gradHard: [
                -0.0424735193, 0.0400308667, 0.0229322982, 0.0170985685, -0.258922345, 0.335478278, -0.0225874164,
                0.0204608627, 0.270557143, -0.116741858, 0.0512717618, 0.0339182424, 0.0602706555, -0.0147001599,
                0.0198452158, -0.0345453757, -0.0136025813, 0.0256724774, -0.0237566208, 0.0427236004,
                0.0191926249, -0.0177323164, 0.0388024807, -0.0365077103,
            ]),
    ]

    static func streams() throws -> (easy: Tensor, hard: Tensor) {
        (try Tensor(easy, shape: [6, 4]).requiresGrad(true), try Tensor(hard, shape: [6, 4]).requiresGrad(true))
    }

    static func values(_ terms: DistributionDistillationLoss.Terms) -> [Double] {
        [terms.total, terms.positiveKL, terms.negativeKL, terms.order].map(\.item)
    }

    @Test("Terms and the hard stream's gradient match the reference; the easy stream gets no gradient",
        arguments: references)
    func matchesReference(_ reference: Reference) throws {
        let (easy, hard) = try Self.streams()
        let loss = DistributionDistillationLoss(bins: reference.bins)
        let terms = loss(easy: easy, easyLabels: Tensor(Self.labels), hard: hard, hardLabels: Tensor(reference.hardLabels))
        expectClose(Tensor(Self.values(terms)), reference.terms, tolerance: 1e-7)
        terms.total.backward()
        expectClose(hard.grad, reference.gradHard, tolerance: 1e-9)
        #expect(easy.grad == nil)
    }

    @Test("The KL terms vanish when the hard stream equals the easy stream")
    func identicalStreams() throws {
        let (easy, _) = try Self.streams()
        let labels = Tensor(Self.labels)
        let terms = DistributionDistillationLoss()(easy: easy, easyLabels: labels, hard: easy, hardLabels: labels)
        #expect(abs(terms.positiveKL.item) < 1e-12)
        #expect(abs(terms.negativeKL.item) < 1e-12)
        #expect(terms.order.item < 0)
    }

    @Test("Streams without positives or without negatives give zero terms and finite gradients",
        arguments: [[Int64](0..<6), [Int64](repeating: 3, count: 6), [Int64](0..<1)])
    func edgeCases(_ labels: [Int64]) throws {
        let count = labels.count
        let easy = try Tensor(Array(Self.easy.prefix(count * 4)), shape: [count, 4])
        let hard = try Tensor(Array(Self.hard.prefix(count * 4)), shape: [count, 4]).requiresGrad(true)
        let identities = Set(labels).count
        let terms = DistributionDistillationLoss()(
            easy: easy, easyLabels: Tensor(labels), hard: hard, hardLabels: Tensor(labels))
        for term in [terms.total, terms.positiveKL, terms.negativeKL, terms.order] {
            #expect(isAllFinite(term))
        }
        if identities == count { #expect(terms.positiveKL.item == 0) }
        if identities == 1 {
            #expect(terms.negativeKL.item == 0)
            #expect(terms.order.item == 0)
        }
        if terms.total.requiresGrad {
            terms.total.backward()
            #expect(isAllFinite(try #require(hard.grad)))
        }
    }

    @Test("Decoding rejects fewer than 2 bins and a kernel width that is not positive")
    func decoding() throws {
        let valid = #"{"bins": 101, "kernelWidth": 0.05, "positiveWeight": 0.1, "negativeWeight": 0.02, "orderWeight": 0.5}"#
        let loss = try JSONDecoder().decode(DistributionDistillationLoss.self, from: Data(valid.utf8))
        #expect(loss.bins == 101 && loss.kernelWidth == 0.05)
        for invalid in [valid.replacingOccurrences(of: "101", with: "1"), valid.replacingOccurrences(of: "0.05", with: "0")] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(DistributionDistillationLoss.self, from: Data(invalid.utf8))
            }
        }
    }
}
