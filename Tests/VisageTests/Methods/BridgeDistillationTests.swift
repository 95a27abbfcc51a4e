import Foundation
import Testing
import Torch
@testable import Visage

/// Bridge distillation: the student at every resolution, the adaptation module's losses (Eq. 1–3) on a worked
/// example, degradation to the student's resolution, teacher feature files, the configuration.
@Suite("Bridge distillation", .serialized)
struct BridgeDistillationTests {
    @Test("The student maps p×p faces to 128-D embeddings with 214,864 parameters", arguments: [96, 64, 32, 16])
    func studentShapes(resolution: Int) throws {
        let student = BackboneArchitecture.bridgeStudent.make(embeddingSize: 128).eval()
        #expect(student.parameterCount == 214_864)
        let output = withoutGrad { student(Tensor.randn([2, 3, resolution, resolution])) }
        #expect(output.shape == [2, 128])
    }

    @Test("Adaptation: C + λ·D of Eq. 1–3 on a worked example (float64 PyTorch reference, T = 2, λ = 0.5)")
    func adaptationLosses() throws {
        let adaptation = AdaptationModule(teacherDimension: 2, classes: 3, hiddenSize: 3, adaptedSize: 2)
        let teacherSoftmax = MarginSoftmax(embeddingSize: 2, classes: 3, kind: .softmax)
        func set(_ tensor: Tensor?, _ values: [Double]) throws {
            let tensor = try #require(tensor)
            try withoutGrad { _ = tensor.copy_(try Tensor(values.map(Float.init), shape: tensor.shape)) }
        }
        try set(teacherSoftmax.weight, [1.0, 0.5, -0.5, 1.0, 0.3, -1.2])
        try set(teacherSoftmax.bias, [0.1, 0.0, -0.2])
        try set(adaptation.hidden.weight, [0.5, -0.2, 0.1, 0.4, -0.3, 0.8])
        try set(adaptation.hidden.bias, [0.0, 0.1, -0.1])
        try set(adaptation.output.weight, [0.7, -0.4, 0.2, 0.1, 0.5, -0.6])
        try set(adaptation.output.bias, [0.05, -0.05])
        try set(adaptation.classifier.weight, [1.2, -0.3, -0.7, 0.9, 0.4, 0.6])
        try set(adaptation.classifier.bias, [0.0, 0.2, -0.1])
        let features = try FeatureMatrix(rows: 3, columns: 2, values: [1.0, -0.5, 0.2, 0.8, -1.0, 0.3])
        let teacher = try TeacherFeatures(matrix: features, name: "worked", sampleCount: 3)
        let objective = try CrossDatasetDistillation(
            teacher: teacher, teacherSoftmax: teacherSoftmax, adaptation: adaptation, temperature: 2,
            distillationWeight: 0.5)
        let losses = objective.losses(teacherFeatures: try teacher.tensor(), labels: Tensor([Int64(0), 2, 1]))
        expectClose(losses["classification"], [1.0622370678496116], tolerance: 1e-5)
        expectClose(losses["distillation"], [1.0838760182602696], tolerance: 1e-5)
        expectClose(losses["loss"], [1.6041750769797463], tolerance: 1e-5)
        let adapted = try objective.adaptedFeatures()
        for (value, reference) in zip(adapted.values, [0.47, 0.01, -0.03, -0.118, 0.09, -0.254]) {
            #expect(abs(Double(value) - reference) < 1e-5)
        }
        // The teacher softmax is frozen: Eq. 1 trains the adaptation module only.
        losses["loss"]!.backward()
        #expect(teacherSoftmax.weight.grad == nil)
        #expect(adaptation.hidden.weight.grad != nil)
    }

    @Test("The student's loss adds the regression only where there are targets")
    func studentLosses() throws {
        Runtime.seed(1)
        let student = BackboneArchitecture.bridgeStudent.make(embeddingSize: 4)
        let targets = try FeatureMatrix(rows: 2, columns: 4, values: [1, 0, 0, 0, 0, 1, 0, 0])
        let objective = try ResolutionAdaptedDistillation(
            student: student, embeddingSize: 4, classes: 2, targets: targets, classificationWeight: 1,
            regressionWeight: 0.5)
        let images = Tensor.randn([2, 3, 16, 16])
        let labels = Tensor([Int64(0), 1])
        let losses = objective.losses(images: images, labels: labels, targets: try Tensor(targets.values, shape: [2, 4]))
        let expected = try #require(losses["classification"]).item + 0.5 * (try #require(losses["regression"]).item)
        #expect(abs(try #require(losses["loss"]).item - expected) < 1e-5)
        let classOnly = objective.losses(images: images, labels: labels, targets: nil)
        #expect(classOnly["regression"] == nil)
        #expect(throws: DataError.self) {
            try ResolutionAdaptedDistillation(student: student, embeddingSize: 4, classes: 2,
                                              targets: FeatureMatrix(rows: 2, columns: 3, values: [Float](repeating: 0, count: 6)))
        }
    }

    @Test("Training and test degradation produce the student's p×p input", arguments: [96, 64, 32, 16])
    func degradationResolution(resolution: Int) throws {
        let face = Image(width: 112, height: 112, channels: 3, fill: 128)
        var generator = SeededRandom(seed: 3)
        let training = BridgeDistillationConfig().degradation(forResolution: resolution)
        let degraded = try training.apply(to: face, using: &generator)
        #expect(degraded.width == resolution && degraded.height == resolution)
        let student = FaceModel(architecture: .bridgeStudent, embeddingSize: 128, inputSize: resolution)
        let test = try LowResolutionVerification(model: student)
        let downsampled = try test.degradation.apply(to: face, using: &generator)
        #expect(downsampled.width == resolution && downsampled.height == resolution)
    }

    @Test("Degraded copies: N × K samples of the student's resolution, copy-major, labelled as their originals")
    func degradedCopies() throws {
        let copies = try DegradedCopies(GrayFaces(count: 3), degradation: BridgeDistillationConfig().degradation(forResolution: 16),
                                        copies: 2, seed: 7, workers: 2, showProgress: false)
        #expect(copies.count == 6)
        #expect((0..<6).map(copies.label(at:)) == [0, 1, 2, 0, 1, 2])
        #expect(copies.name(at: 4) == "face-1#1")
        for index in 0..<6 {
            let image = try copies.image(at: index)
            #expect(image.width == 16 && image.height == 16)
        }
        #expect(try copies.image(at: 1).pixels != copies.image(at: 4).pixels, "two copies of one face differ")
    }

    @Test("A teacher feature file must have a row for every training image")
    func teacherRowsMustMatch() throws {
        let source = try ImageFileSource(root: URL(fileURLWithPath: "/a"), paths: ["x/1.png", "y/2.png"])
        let matrix = try FeatureMatrix(rows: 2, columns: 2, values: [1, 2, 3, 4])
        let shuffled = try FeatureFile(features: matrix, paths: ["aligned/y/2.png", "aligned/x/1.png"])
        let teacher = try TeacherFeatures(file: shuffled, name: "t", source: source)
        #expect(teacher.matrix.values == [3, 4, 1, 2])

        let other = try FeatureFile(features: matrix, paths: ["aligned/x/1.png", "aligned/z/3.png"])
        #expect {
            try TeacherFeatures(file: other, name: "t", source: source)
        } throws: { error in
            "\(error)".contains("1 of the 2 training images have no teacher feature") && "\(error)".contains("y/2.png")
        }
        #expect(throws: DataError.self) {
            try TeacherFeatures(matrix: matrix, name: "t", sampleCount: 3)
        }
    }

    @Test("A feature file whose row count differs from its image list is rejected naming both files")
    func featureFileRowCount() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("visage-bridge-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let features = folder.appendingPathComponent("teacher.npy")
        try NPYFile.write(FeatureMatrix(rows: 2, columns: 2, values: [1, 2, 3, 4]), to: features)
        try Data("a/1.png\nb/2.png\nc/3.png\n".utf8).write(to: folder.appendingPathComponent("teacher.txt"))
        #expect {
            try FeatureFile.load(features: features)
        } throws: { error in
            "\(error)".contains("2 feature rows") && "\(error)".contains("lists 3 image paths")
        }
    }

    @Test("An ensemble concatenates its teachers and keeps them as members")
    func ensemble() throws {
        let a = try TeacherFeatures(matrix: FeatureMatrix(rows: 2, columns: 1, values: [1, 2]), name: "a", sampleCount: 2)
        let b = try TeacherFeatures(matrix: FeatureMatrix(rows: 2, columns: 2, values: [3, 4, 5, 6]), name: "b",
                                    sampleCount: 2)
        let ensemble = try TeacherFeatures.ensemble([a, b])
        #expect(ensemble.name == "a+b" && ensemble.matrix.values == [1, 3, 4, 2, 5, 6])
        #expect(try ensemble.renamed("E").members.map(\.name) == ["a", "b"])
        let scaled = b.matrix.rowsScaled(toNorm: 10)
        #expect(abs(scaled.values[0] - 6) < 1e-5 && abs(scaled.values[1] - 8) < 1e-5)
    }

    @Test("The configuration reads JSON with defaults and rejects unknown keys and bad values")
    func configuration() throws {
        let json = #"{"resolutions": [16], "supervisions": ["c", "sc"], "fine_tuning": {"epochs": 3}}"#
        let config = try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data(json.utf8))
        #expect(config.resolutions == [16] && config.supervisions == [.classOnly, .bridge])
        #expect(config.fineTuning.length == .epochs(3) && config.temperature == 4)
        let encoded = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(BridgeDistillationConfig.self, from: encoded) == config)
        #expect(throws: TrainingConfigError.self) {
            try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data(#"{"temperatur": 2}"#.utf8))
        }
        #expect(throws: TrainingConfigError.self) {
            try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data(#"{"resolutions": [8]}"#.utf8))
        }
        #expect(try DistillationSupervision(parsing: "c-O") == .classOnly)
        #expect(throws: DataError.self) { try DistillationSupervision(parsing: "x") }
    }

    @Test("The bridge set's settings are read from the config and a bad one is refused naming its key")
    func bridgeSetConfiguration() throws {
        let json = #"{"bridge_set": {"flips": true, "crops": 2, "crop_scale": [0.7, 0.9]}}"#
        let config = try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data(json.utf8))
        #expect(config.bridgeSet == BridgeSet(flips: true, crops: 2, cropScale: 0.7...0.9))
        #expect(try JSONDecoder().decode(BridgeDistillationConfig.self, from: JSONEncoder().encode(config)) == config)
        #expect(try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data("{}".utf8)).bridgeSet == BridgeSet())
        for (bad, key) in [(#"{"crops": -1}"#, "bridge_set.crops"), (#"{"crop_scale": [0, 0.9]}"#, "bridge_set.crop_scale"),
                           (#"{"flip": true}"#, "bridge_set.flip")] {
            let error = #expect(throws: TrainingConfigError.self) {
                try JSONDecoder().decode(BridgeDistillationConfig.self, from: Data((#"{"bridge_set": "# + bad + "}").utf8))
            }
            #expect(error?.key == key, "\(String(describing: error))")
        }
    }

    @Test("The bridge set: each face, then its mirror, then its crops, labelled as the face and the same in every run")
    func bridgeSetViews() throws {
        let faces = GrayFaces(count: 3)
        let set = try BridgeSet(flips: true, crops: 2).source(of: faces)
        #expect(set.count == 12)
        #expect((0..<12).map(set.label(at:)) == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
        #expect([0, 4, 7, 11].map(set.name(at:)) == ["face-0", "face-1#flip", "face-1#crop1", "face-2#crop2"])
        #expect(try set.image(at: 1).pixels == faces.image(at: 1).pixels)
        #expect(try set.image(at: 4).pixels == faces.image(at: 1).flippedHorizontally().pixels)
        let crop = try set.image(at: 7)
        let face = try faces.image(at: 1)
        #expect(crop.width == 112 && crop.height == 112 && crop.pixels != face.pixels)
        #expect(try BridgeSet(flips: true, crops: 2).source(of: faces).image(at: 7).pixels == crop.pixels,
                "a crop is the same in another run")
        #expect(try BridgeSet(crops: 1).source(of: faces).name(at: 3) == "face-0#crop1")
        #expect(throws: TrainingConfigError.self) { try BridgeSet(crops: -1).source(of: faces) }
    }

    @Test("A live teacher keeps its features in a stamped feature file and reads them back instead of embedding again")
    func liveTeacherKeepsFeatures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("teacher-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = FaceModel(architecture: .bridgeStudent, embeddingSize: 4, inputSize: 16)
        model.backbone.eval()
        let faces = try BridgeSet(flips: true).source(of: GrayFaces(count: 2))
        let file = folder.appendingPathComponent("teacher-t.npy")
        let live = try TeacherFeatures.embedded(by: model, name: "t", source: faces, keptIn: file, showProgress: false)
        let written = try FeatureFile.load(features: file)
        #expect(written.paths == ["face-0", "face-1", "face-0#flip", "face-1#flip"])
        #expect(written.features.values == live.matrix.values)
        #expect(try FeatureStamp.read(for: file)?.model == model.identifier)

        let planted = try FeatureMatrix(rows: 4, columns: 4, values: (0..<16).map(Float.init))
        try FeatureFile(features: planted, paths: written.paths).write(features: file)
        let kept = try TeacherFeatures.embedded(by: model, name: "t", source: faces, keptIn: file, showProgress: false)
        #expect(kept.matrix.values == planted.values, "read back, not embedded again")

        try FeatureStamp(model: "another-model", dimension: 4).write(for: file)
        let again = try TeacherFeatures.embedded(by: model, name: "t", source: faces, keptIn: file, showProgress: false)
        #expect(again.matrix.values == live.matrix.values, "another model's features are not taken")
    }

    @Test("Low-resolution verification upsamples the p×p faces back only for a model of another input")
    func upsampledBaseline() throws {
        let teacher = FaceModel(architecture: .bridgeStudent, embeddingSize: 8, inputSize: 32)
        let baseline = try LowResolutionVerification(model: teacher, resolution: 16)
        #expect(baseline.resolution == 16 && baseline.degradation.upsampleBack)
        var generator = SeededRandom(seed: 1)
        let face = try GrayFaces(count: 1).image(at: 0)
        let degraded = try baseline.degradation.apply(to: face, using: &generator)
        #expect(degraded.width == 112, "back to the aligned crop's size, then resized to the model's input")
        let student = try LowResolutionVerification(model: teacher)
        #expect(student.resolution == 32 && !student.degradation.upsampleBack)
    }
}

/// Uniform 112×112 gray faces with a bright square whose place depends on the index.
private struct GrayFaces: FaceSource {
    let count: Int
    func label(at index: Int) -> Int { index }
    func name(at index: Int) -> String { "face-\(index)" }
    func image(at index: Int) throws -> Image {
        var image = Image(width: 112, height: 112, channels: 1, fill: 90)
        for y in 40..<70 {
            for x in (20 + 10 * index)..<(50 + 10 * index) { image.pixels[y * 112 + x] = 220 }
        }
        return image
    }
}
