import Foundation
import Testing
import Torch
@testable import Visage

/// The classification heads against float64 PyTorch references written from the papers
/// (`/usr/bin/python3 scripts/loss_references.py`), on 4 embeddings of 3 dimensions and 5 classes.
@Suite("Margin softmax heads")
struct MarginSoftmaxTests {
    static let weight: [Float] = [2, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0, -1, 0.1, 0]
    static let bias: [Float] = [0.1, -0.2, 0, 0.3, -0.1]
    /// Sample 1's target cosine is about −0.97, beyond ArcFace's `θ + m > π` fallback.
    static let embeddings: [Float] = [0.9, 0.3, 0.1, -0.95, 0.2, 0.1, 0.2, 0.1, 1, 0.5, 0.5, 0.2]
    static let labels: [Int64] = [0, 0, 2, 4]

    /// One head's expected outputs after one training call on the example.
    struct Reference: CustomTestStringConvertible, Sendable {
        var kind: MarginKind
        var logits: [Double]
        var loss: Double
        var gradEmbeddings: [Double]
        var gradWeight: [Double]
        var testDescription: String { "\(kind)" }
    }

    static let references: [Reference] = [
        Reference(
            kind: .softmax,
            logits: [1.9, 0.1, 0.1, 1.08, -0.97, -1.8, 0, 0.1, -0.11, 0.87, 0.5, -0.1, 1, 0.5, -0.29, 1.1, 0.3, 0.2, 1,
                     -0.55],
            loss: 1.97184086,
            gradEmbeddings: [-0.19804593, 0.0715798524, 0.0226098818, -0.568375376, 0.0880282172, 0.0497536544,
                             0.115350512, 0.0749345788, -0.161385326, 0.449036823, 0.0759558354, 0.0344225476],
            gradWeight: [0.181616532, -0.0347694845, 0.0351030175, 0.00250172561, 0.0377578837, 0.0438687072,
                         -0.0419828695, 0.0178064366, -0.147264463, 0.0649595821, 0.0698179638, 0.0791265312,
                         -0.20709497, -0.0906127995, -0.0108337928]),
        Reference(
            kind: .cosFace(scale: 8, margin: 0.4),
            logits: [4.34765082, 2.51588361, 0.838627869, 6.54129738, -7.25985349, -10.9871959, 1.63940966,
                     0.819704831, -3.36078981, 7.91167688, 1.56144012, 0.780720058, 4.60720058, 1.56144012,
                     -1.47600644, 5.44331054, 5.44331054, 2.17732422, 7.62063476, -8.07466678],
            loss: 9.30889947,
            gradEmbeddings: [-0.535433091, 1.59519686, 0.033307245, -0.172811971, -0.615918887, -0.409875949,
                             0.161441356, 0.12108928, -0.0443971992, 1.49009362, -1.04668805, -1.10851392],
            gradWeight: [0, -0.421656488, -0.130441232, 0.158975653, 0, 0.0918034717, -0.0328457863, -0.0138113841,
                         0, 0.983096895, -0.737322671, 0.710220123, -0.126285587, -1.26285587, -0.334317903]),
        Reference(
            kind: .arcFace(scale: 8, margin: 0.5),
            logits: [5.3522626, 2.51588361, 0.838627869, 6.54129738, -7.25985349, -9.70489805, 1.63940966,
                     0.819704831, -3.36078981, 7.91167688, 1.56144012, 0.780720058, 6.01450925, 1.56144012,
                     -1.47600644, 5.44331054, 5.44331054, 2.17732422, 7.62063476, -7.31906896],
            loss: 8.56664694,
            gradEmbeddings: [-0.67790955, 1.95811408, 0.226843725, -0.172811968, -0.615918877, -0.409875943,
                             0.0642850073, 0.0428890752, -0.017145909, 0.714682606, -0.359895477, -0.886967822],
            gradWeight: [0, -0.684306785, -0.247407999, 0.149069201, 0, 0.0634428353, -0.0255235268, -0.0100153683,
                         0, 0.861815672, -0.646361754, 0.622410713, -0.0539337848, -0.539337848, -0.0713670149]),
        Reference(
            kind: .curricularFace(scale: 8, margin: 0.5),
            logits: [5.3522626, 2.51588361, 0.838627869, 5.35407632, -7.25985349, -9.70489805, 0.337337665,
                     0.0846793313, 1.40903521, 7.83098703, 1.56144012, 0.780720058, 6.01450925, 1.56144012,
                     -1.47600644, 3.70828457, 3.70828457, 0.594424939, 7.26567247, -7.31906896],
            loss: 8.23422174,
            gradEmbeddings: [-0.570293883, 1.67512431, 0.107272008, -0.238970658, -0.828026893, -0.614167468,
                             0.0642850073, 0.0428890752, -0.017145909, 0.57539961, 0.0389879223, -1.53596883],
            gradWeight: [0, -0.543560711, -0.203005049, 0.10491833, 0, 0.0360659157, -0.0227418107, -0.0124678835,
                         0, 1.11257435, -0.834430759, 1.16805249, -0.0332370779, -0.332370779, 0.127715039]),
    ]

    /// A head of `kind` holding the example's weights (and bias, for softmax).
    static func exampleHead(_ kind: MarginKind) throws -> MarginSoftmax {
        let head = MarginSoftmax(embeddingSize: 3, classes: 5, kind: kind)
        try withoutGrad {
            _ = head.weight.copy_(try Tensor(weight, shape: [5, 3]))
            _ = head.bias?.copy_(try Tensor(bias, shape: [5]))
        }
        return head
    }

    static func exampleEmbeddings() throws -> Tensor {
        try Tensor(embeddings, shape: [4, 3]).requiresGrad(true)
    }

    @Test("Training logits, loss and gradients match the reference", arguments: references)
    func matchesReference(_ reference: Reference) throws {
        let head = try Self.exampleHead(reference.kind)
        let embeddings = try Self.exampleEmbeddings()
        let labels = Tensor(Self.labels)
        let logits = head.logits(embeddings, labels: labels)
        expectClose(logits, reference.logits, tolerance: 2e-5)
        let loss = Functional.crossEntropy(logits, target: labels)
        expectClose(loss, [reference.loss], tolerance: 2e-5)
        loss.backward()
        expectClose(embeddings.grad, reference.gradEmbeddings, tolerance: 2e-5)
        expectClose(head.weight.grad, reference.gradWeight, tolerance: 2e-5)
        if case .softmax = reference.kind {
            expectClose(head.bias?.grad, [-0.217363279, 0.135168911, -0.0545992425, 0.230928874, -0.0941352635],
                tolerance: 2e-5)
        }
    }

    @Test("loss is the mean cross-entropy of the training logits")
    func lossOfLogits() throws {
        let head = try Self.exampleHead(.arcFace(scale: 8, margin: 0.5))
        expectClose(head.loss(try Self.exampleEmbeddings(), labels: Tensor(Self.labels)), [8.56664694],
            tolerance: 2e-5)
    }

    @Test("Plain logits are the scaled cosines, without margin", arguments: [
        MarginKind.cosFace(scale: 8, margin: 0.4), .arcFace(scale: 8, margin: 0.5), .curricularFace(scale: 8, margin: 0.5),
    ])
    func plainLogits(_ kind: MarginKind) throws {
        let head = try Self.exampleHead(kind)
        expectClose(
            head.plainLogits(try Self.exampleEmbeddings()),
            [7.54765082, 2.51588361, 0.838627869, 6.54129738, -7.25985349, -7.7871959, 1.63940966, 0.819704831,
             -3.36078981, 7.91167688, 1.56144012, 0.780720058, 7.80720058, 1.56144012, -1.47600644, 5.44331054,
             5.44331054, 2.17732422, 7.62063476, -4.87466678],
            tolerance: 2e-5)
        #expect(head.t?.item ?? 0 == 0)
    }

    @Test("CurricularFace's t follows the running mean, and the next call modulates with it")
    func curricularRunningMean() throws {
        let head = try Self.exampleHead(.curricularFace(scale: 8, margin: 0.5))
        let embeddings = try Self.exampleEmbeddings()
        let labels = Tensor(Self.labels)
        _ = head.logits(embeddings, labels: labels)
        expectClose(head.t, [0.000841558978], tolerance: 1e-8)
        let logits = head.logits(embeddings, labels: labels)
        expectClose(head.t, [0.00167470237], tolerance: 1e-8)
        expectClose(
            logits,
            [5.3522626, 2.51588361, 0.838627869, 5.35952615, -7.25985349, -9.70489805, 0.338703528, 0.0853622629,
             1.40623519, 7.83757859, 1.56144012, 0.780720058, 6.01450925, 1.56144012, -1.47600644, 3.71281963,
             3.71281963, 0.596238963, 7.27202155, -7.31906896],
            tolerance: 2e-5)
        head.eval()
        _ = head.logits(embeddings, labels: labels)
        expectClose(head.t, [0.00167470237], tolerance: 1e-8)
    }

    @Test("ArcFace and CurricularFace gradients stay finite when an embedding equals its class weight",
        arguments: [MarginKind.arcFace(), .curricularFace()])
    func finiteAtCosineOne(_ kind: MarginKind) throws {
        let head = try Self.exampleHead(kind)
        let embeddings = try Tensor([Float(2), 0, 0, 0, 0, -1], shape: [2, 3]).requiresGrad(true)
        let labels = Tensor([Int64(0), 2])
        head.loss(embeddings, labels: labels).backward()
        #expect(isAllFinite(try #require(embeddings.grad)))
        #expect(isAllFinite(try #require(head.weight.grad)))
    }

    @Test("State-dict keys follow insightface's names")
    func stateKeys() {
        #expect(Set(MarginSoftmax(embeddingSize: 3, classes: 5, kind: .softmax).stateDict().keys) == ["weight", "bias"])
        #expect(Set(MarginSoftmax(embeddingSize: 3, classes: 5, kind: .arcFace()).stateDict().keys) == ["weight"])
        let curricular = MarginSoftmax(embeddingSize: 3, classes: 5, kind: .curricularFace())
        #expect(Set(curricular.stateDict().keys) == ["weight", "t"])
        #expect(curricular.parameters().count == 1)
        #expect(curricular.weight.shape == [5, 3])
    }

    @Test("Labels that do not fit the batch or the classes are errors")
    func badLabels() {
        let head = MarginSoftmax(embeddingSize: 3, classes: 5, kind: .arcFace())
        let embeddings = Tensor.randn([4, 3])
        #expect(throws: TorchError.self) { try withTorchErrors { head.logits(embeddings, labels: Tensor([Int64(0), 1])) } }
        #expect(throws: TorchError.self) {
            try withTorchErrors { head.logits(embeddings, labels: Tensor([Int64(0), 1, 2, 5])) }
        }
        #expect(throws: TorchError.self) {
            try withTorchErrors { head.logits(Tensor.randn([4, 7]), labels: Tensor([Int64(0), 1, 2, 3])) }
        }
    }

    @Test("Kinds are built from their names with the defaults or the given scale and margin; bad values name the key")
    func naming() throws {
        #expect(try MarginKind(.softmax) == .softmax)
        #expect(try MarginKind(.cosface) == .cosFace(scale: 64, margin: 0.4))
        #expect(try MarginKind(.arcface, scale: 32, margin: 0.3) == .arcFace(scale: 32, margin: 0.3))
        #expect(try MarginKind(.curricularface, margin: 0.2) == .curricularFace(scale: 64, margin: 0.2))
        for kind in [MarginKind.softmax, .cosFace(scale: 30, margin: 0.35), .arcFace(), .curricularFace()] {
            #expect(try MarginKind(kind.name, scale: kind.scale, margin: kind.margin) == kind)
        }
        #expect(throws: TrainingConfigError(key: "scale", "-1.0 is invalid: must be finite and > 0")) {
            try MarginKind(.arcface, scale: -1)
        }
        #expect((#expect(throws: TrainingConfigError.self) { try MarginKind(.arcface, margin: 2) })?.key == "margin")
        #expect((#expect(throws: TrainingConfigError.self) { try MarginKind(.softmax, scale: 30) })?.key == "scale")
        #expect(MarginKind.arcFace(scale: 32, margin: 0.25).summary == "arcface (s = 32, m = 0.25)")
    }

    @Test("Kinds survive a JSON round trip")
    func codable() throws {
        let kinds: [MarginKind] = [.softmax, .cosFace(scale: 30, margin: 0.35), .arcFace(), .curricularFace(margin: 0.4)]
        let decoded = try JSONDecoder().decode([MarginKind].self, from: try JSONEncoder().encode(kinds))
        #expect(decoded == kinds)
    }

    @Test("imprinting sets each class weight to its normalized mean embedding and zeroes softmax biases",
          arguments: [MarginKind.softmax, .arcFace()])
    func imprinting(kind: MarginKind) throws {
        let head = MarginSoftmax(embeddingSize: 2, classes: 2, kind: kind)
        // Class 0: (3, 0) and (1, 0) → mean (2, 0) → (1, 0). Class 1: (0, 1) and (1, 0) → (0.5, 0.5) → (√½, √½).
        let embeddings = try FeatureMatrix(rows: 4, columns: 2, values: [3, 0, 0, 1, 1, 0, 1, 0])
        try head.imprint(embeddings: embeddings, labels: [0, 1, 0, 1])
        let half = Float(0.5).squareRoot()
        let weights = head.weight.array(of: Float.self)
        for (actual, expected) in zip(weights, [1, 0, half, half]) { #expect(abs(actual - expected) < 1e-6) }
        if let bias = head.bias { #expect(bias.array(of: Float.self) == [0, 0]) }
    }

    @Test("imprinting refuses a class without samples, a label out of range and the wrong dimension")
    func imprintingRefusals() throws {
        let head = MarginSoftmax(embeddingSize: 2, classes: 2, kind: .arcFace())
        let before = head.weight.array(of: Float.self)
        let two = try FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1])
        #expect(throws: DataError.invalidArgument("class 1 has no sample to imprint its weight from")) {
            try head.imprint(embeddings: two, labels: [0, 0])
        }
        #expect(throws: DataError.self) { try head.imprint(embeddings: two, labels: [0, 2]) }
        #expect(throws: DataError.self) {
            try head.imprint(embeddings: FeatureMatrix(rows: 2, columns: 1, values: [1, 0]), labels: [0, 1])
        }
        #expect(head.weight.array(of: Float.self) == before)
    }
}
