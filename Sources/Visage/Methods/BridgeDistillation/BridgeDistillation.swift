import Foundation
import Torch

/// Runs bridge distillation end to end (Ge et al., Section III): the teacher's softmax fine-tuned on the public
/// high-resolution set, cross-dataset distillation into compact adapted features, then per resolution a
/// student pretrained with classification on degraded faces and fine-tuned under each requested supervision.
///
/// Output folder:
/// ```
/// teacher-softmax/              checkpoints, log (TeacherSoftmaxFineTuning)
/// adaptation/                   checkpoints, log (CrossDatasetDistillation)
/// adapted-features.npy/.txt     f_a of every training image (row order = the training list)
/// S-16/pretraining/             classification pretraining of the 16×16 student
/// S-16/sc/                      fine-tuning under supervision sc
/// S-16-sc-dlib.safetensors      the student (a ``FaceModel`` named S-16-sc-dlib)
/// config.json
/// ```
/// Every stage checkpoints; rerunning the same command resumes an interrupted stage and loads finished ones.
public struct BridgeDistillation {
    /// The experiment's settings.
    public let config: BridgeDistillationConfig
    /// The folder everything is written to.
    public let output: URL
    /// The public high-resolution training faces (aligned), labelled 0..<classes.
    public let training: any FaceSource
    /// Number of training identities.
    public let classes: Int
    /// The teacher's features of every training image, in `training`'s order, as given.
    public let teacher: TeacherFeatures
    /// The teacher's features scaled for the feature stages (see ``BridgeDistillationConfig/teacherFeatureNorm``).
    public let scaledTeacher: TeacherFeatures
    /// The student network.
    public var studentArchitecture: BackboneArchitecture = .bridgeStudent
    /// Seeds module initialization, shuffling and degradation.
    public var seed: UInt64 = 0
    /// Image-decoding threads of the student stages.
    public var workers = 2
    /// Whether training draws progress bars.
    public var showsProgress = true
    /// Receives one line per stage event.
    public var report: (String) -> Void = { print($0) }

    /// A distilled student written by ``run()``.
    public struct Student: Sendable {
        /// Input side p.
        public var resolution: Int
        /// How it was supervised.
        public var supervision: DistillationSupervision
        /// The paper's name: `S-16-sc-dlib`, `S-16-c-O`.
        public var name: String
        /// Its ``FaceModel`` file.
        public var url: URL
    }

    /// An experiment on `training` with `teacher`'s features.
    /// - Throws: ``TrainingConfigError`` for an invalid configuration, ``DataError/invalidArgument(_:)`` when
    ///   the teacher does not have one row per training image or a label is outside `0..<classes`.
    public init(config: BridgeDistillationConfig, output: URL, training: any FaceSource, classes: Int,
                teacher: TeacherFeatures) throws {
        try config.validate()
        guard teacher.matrix.rows == training.count else {
            throw DataError.invalidArgument("the teacher '\(teacher.name)' has \(teacher.matrix.rows) rows for "
                + "\(training.count) training images")
        }
        if let bad = (0..<training.count).first(where: { !(0..<classes).contains(training.label(at: $0)) }) {
            throw DataError.invalidArgument("\(training.name(at: bad)) has label \(training.label(at: bad)), "
                + "outside 0..<\(classes)")
        }
        self.config = config
        self.output = output
        self.training = training
        self.classes = classes
        self.teacher = teacher
        scaledTeacher = try TeacherFeatures.ensemble(teacher.members.map {
            try TeacherFeatures(matrix: $0.matrix.rowsScaled(toNorm: Float(config.teacherFeatureNorm)), name: $0.name,
                                sampleCount: training.count)
        })
    }

    /// The paper's name of a student: `S-p-x-t`, with teacher `O` for the class-only student.
    public func studentName(resolution: Int, supervision: DistillationSupervision) -> String {
        "S-\(resolution)-\(supervision)-" + (supervision.usesTeacher ? teacher.name : "O")
    }

    /// Runs every stage (or loads it when done) and returns the students, resolution by resolution.
    public func run() throws -> [Student] {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try config.save(to: output.appendingPathComponent("config.json"))
        let adapted = try config.supervisions.contains(where: \.usesAdaptation) ? adaptedFeatures() : nil
        var students: [Student] = []
        for resolution in config.resolutions {
            let copies = try DegradedCopies(
                training, degradation: config.degradation(forResolution: resolution), copies: config.degradedCopies,
                seed: seed, workers: workers, showProgress: showsProgress)
            report("S-\(resolution): \(copies.count) degraded \(resolution)×\(resolution) copies of the training faces")
            var pretrained: [Int: URL] = [:]
            for supervision in config.supervisions {
                let targets: FeatureMatrix? = switch supervision {
                case .classOnly: nil
                case .directDistillation: teacher.matrix.rowsScaled(toNorm: Float(config.regressionTargetNorm))
                case .distillationOnly, .bridge: adapted?.rowsScaled(toNorm: Float(config.regressionTargetNorm))
                }
                let embeddingSize = targets?.columns ?? config.adaptedSize
                if pretrained[embeddingSize] == nil {
                    pretrained[embeddingSize] = try pretrain(resolution: resolution, embeddingSize: embeddingSize,
                                                             copies: copies)
                }
                students.append(try fineTune(resolution: resolution, supervision: supervision, targets: targets,
                                             embeddingSize: embeddingSize, pretrained: pretrained[embeddingSize]!,
                                             copies: copies))
            }
        }
        return students
    }

    /// Fine-tunes the teacher softmax and trains the adaptation module (or loads them), then writes and returns
    /// the adapted features of every training image.
    public func adaptedFeatures() throws -> FeatureMatrix {
        let rows = try BatchLoader(
            source: FeatureRowSource(labelsOf: training), batchSize: config.teacherSoftmax.batchSize, shuffle: true,
            seed: seed, imageSize: 1, channels: 1, workers: 1)
        Runtime.seed(seed)
        let softmaxObjective = try TeacherSoftmaxFineTuning(teacher: scaledTeacher, classes: classes)
        try stage("teacher softmax", config.teacherSoftmax, folder: "teacher-softmax").run(softmaxObjective, loader: rows)

        let adaptationRows = try BatchLoader(
            source: FeatureRowSource(labelsOf: training), batchSize: config.adaptation.batchSize, shuffle: true,
            seed: seed &+ 1, imageSize: 1, channels: 1, workers: 1)
        Runtime.seed(seed &+ 1)
        let module = AdaptationModule(teacherDimension: scaledTeacher.dimension, classes: classes,
                                      hiddenSize: config.hiddenSize, adaptedSize: config.adaptedSize)
        let objective = try CrossDatasetDistillation(
            teacher: scaledTeacher, teacherSoftmax: softmaxObjective.softmax, adaptation: module,
            temperature: config.temperature, distillationWeight: config.distillationWeight)
        try stage("adaptation", config.adaptation, folder: "adaptation").run(objective, loader: adaptationRows)

        let features = try objective.adaptedFeatures()
        let file = try FeatureFile(features: features, paths: (0..<training.count).map { training.name(at: $0) })
        let url = output.appendingPathComponent("adapted-features.npy")
        try file.write(features: url)
        report("adapted features: \(features.rows)×\(features.columns) written to \(url.path)")
        return features
    }

    /// Pretrains a student at `resolution` with classification only; returns the stage's checkpoint.
    private func pretrain(resolution: Int, embeddingSize: Int, copies: DegradedCopies) throws -> URL {
        Runtime.seed(seed &+ 2)
        let objective = try ResolutionAdaptedDistillation(
            student: studentArchitecture.make(embeddingSize: embeddingSize), embeddingSize: embeddingSize,
            classes: classes, targets: nil)
        let folder = "S-\(resolution)/pretraining" + (embeddingSize == config.adaptedSize ? "" : "-\(embeddingSize)d")
        return try stage("S-\(resolution) pretraining", config.pretraining, folder: folder)
            .run(objective, loader: imageLoader(copies, resolution: resolution,
                                                batchSize: config.pretraining.batchSize, seed: seed &+ 2))
    }

    /// Fine-tunes the pretrained student under `supervision` and writes it as a ``FaceModel``.
    private func fineTune(resolution: Int, supervision: DistillationSupervision, targets: FeatureMatrix?,
                          embeddingSize: Int, pretrained: URL, copies: DegradedCopies) throws -> Student {
        Runtime.seed(seed &+ 3)
        let objective = try ResolutionAdaptedDistillation(
            student: studentArchitecture.make(embeddingSize: embeddingSize), embeddingSize: embeddingSize,
            classes: classes, targets: targets, classificationWeight: supervision.classifies ? 1 : 0,
            regressionWeight: config.regressionWeight)
        for (name, module) in objective.modules {
            try module.load(from: pretrained.appendingPathComponent(CheckpointStore.moduleFile(name)), strict: true)
        }
        let name = studentName(resolution: resolution, supervision: supervision)
        try stage("\(name) fine-tuning", config.fineTuning, folder: "S-\(resolution)/\(supervision)")
            .run(objective, loader: imageLoader(copies, resolution: resolution,
                                                batchSize: config.fineTuning.batchSize, seed: seed &+ 3))
        let url = output.appendingPathComponent(name + ".safetensors")
        try FaceModel(backbone: objective.student, architecture: studentArchitecture, embeddingSize: embeddingSize,
                      inputSize: resolution, identifier: name).save(to: url)
        report("\(name): wrote \(url.path)")
        return Student(resolution: resolution, supervision: supervision, name: name, url: url)
    }

    /// Shuffled batches of the degraded p×p copies.
    private func imageLoader(_ copies: DegradedCopies, resolution: Int, batchSize: Int, seed: UInt64) throws
        -> BatchLoader
    {
        try BatchLoader(source: copies, batchSize: batchSize, shuffle: true, dropLast: true, seed: seed,
                        imageSize: resolution, channels: 3, workers: workers)
    }

    private func stage(_ name: String, _ settings: TrainingConfig, folder: String) -> TrainingStage {
        var settings = settings
        settings.outputDirectory = output.appendingPathComponent(folder).path
        settings.seed = seed
        return TrainingStage(name: name, config: settings, report: report, showsProgress: showsProgress)
    }
}
