import Testing
import Torch
@testable import Visage

@Suite("R³AN architecture")
struct R3ANArchitectureTests {
    @Test("every path has the shapes of Table 1", arguments: [(128, 512), (512, 128)])
    func shapes(sourceDimension: Int, targetDimension: Int) {
        Runtime.seed(0)
        let transformation = R3ANTransformation(sourceDimension: sourceDimension, targetDimension: targetDimension)
        let discriminator = R3ANDiscriminator()
        let source = Tensor.randn([2, sourceDimension])
        let faces = transformation.generator(source)
        #expect(faces.shape == [2, 3, 56, 56])
        #expect(faces.abs().max().item <= 1)
        #expect(transformation.extractor(faces).shape == [2, targetDimension])
        #expect(transformation(source).shape == [2, targetDimension])
        #expect(discriminator(faces).shape == [2])
        let mlp = FeatureMLP(sourceDimension: sourceDimension, targetDimension: targetDimension,
                             parameterBudget: transformation.parameterCount)
        #expect(mlp(source).shape == [2, targetDimension])
        let difference = Double(abs(mlp.parameterCount - transformation.parameterCount))
        #expect(difference / Double(transformation.parameterCount) < 0.01)
    }

    @Test("intermediate sizes follow Table 1")
    func intermediateSizes() {
        let generator = R3ANGenerator(sourceDimension: 128)
        var x = Tensor.randn([2, 128, 1, 1])
        var sizes: [[Int]] = []
        for layer in [generator.fConv1, generator.fConv2, generator.fConv3, generator.fConv4, generator.fConv5] {
            x = layer(x)
            sizes.append(Array(x.shape.dropFirst()))
        }
        #expect(sizes == [[512, 4, 4], [128, 7, 7], [32, 14, 14], [8, 28, 28], [3, 56, 56]])
        let extractor = R3ANExtractor(targetDimension: 512)
        var y = Tensor.randn([2, 3, 56, 56])
        sizes = []
        for block in [extractor.conv1, extractor.conv2, extractor.conv3, extractor.conv4, extractor.conv5] {
            y = block(y)
            sizes.append(Array(y.shape.dropFirst()))
        }
        #expect(sizes == [[32, 28, 28], [64, 14, 14], [96, 14, 14], [160, 7, 7], [320, 7, 7]])
        let d = R3ANDiscriminator()
        var z = Tensor.randn([2, 3, 56, 56])
        sizes = []
        for conv in [d.conv1, d.conv2, d.conv3, d.conv4, d.conv5, d.conv6] {
            z = conv(z)
            sizes.append(Array(z.shape.dropFirst()))
        }
        #expect(sizes == [[4, 28, 28], [8, 14, 14], [16, 7, 7], [32, 4, 4], [64, 2, 2], [128, 1, 1]])
    }

    @Test("Table 3 names map to their switches and validate")
    func configurations() throws {
        #expect(R3ANConfiguration.table3.map(\.name) == ["Arch1", "Arch2", "Arch3", "Arch4", "Arch5", "Arch6", "Arch7", "R3AN"])
        let arch6 = try #require(R3ANConfiguration.named("arch6"))
        #expect(arch6.adversarialReconstruction && !arch6.l2Reconstruction && !arch6.representation && arch6.regression)
        for (_, configuration) in R3ANConfiguration.table3 { try configuration.validate() }
        let none = R3ANConfiguration(adversarialReconstruction: false, l2Reconstruction: false, representation: false,
                                     regression: false)
        #expect(throws: CrossModelError.self) { try none.validate() }
        var negative = R3ANConfiguration.r3an
        negative.adversarialWeight = -1
        #expect(throws: CrossModelError.invalidConfiguration("λ_Adv must be finite and non-negative, got -1.0")) {
            try negative.validate()
        }
    }
}
