import ArgumentParser
import Foundation
import Visage
import VisageBenchmarks

/// `visage distill …`: bridge distillation of a low-resolution student from a large teacher.
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Bridge distillation: a ~0.2M-parameter low-resolution face model distilled from a large teacher.",
        subcommands: [DistillRunCommand.self, DistillEvalCommand.self, DistillReportCommand.self],
        defaultSubcommand: DistillRunCommand.self
    )
}

/// `visage distill run`: both distillation steps, then the students.
struct DistillRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fine-tune the teacher softmax, adapt its features, and distill students (c, s, dc, sc).",
        discussion: """
            Trains on the aligned faces under --images (one folder per identity), restricted to the people of \
            --people when given (LFW's peopleDevTrain.txt), grown by the config's bridge_set (each face's mirror \
            image and crops). The teacher is one or more feature files (--teacher-features F.npy with F.txt \
            listing each row's image; several make an ensemble, their features concatenated) and/or live models \
            (--teacher-model: a Visage model file or an engine such as dlib-resnet), which embed every face of the \
            bridge set and write OUT/teacher-<name>.npy/.txt/.json — pass that file as --teacher-features to reuse \
            the features in other runs (other seeds) on the same faces; every training face needs a row. \
            Stages: the teacher's softmax fine-tuned on the teacher features; the adaptation module trained with \
            CE + λ·KD (Eq. 1–3), whose 128-D features of every training image go to OUT/adapted-features.npy; \
            per resolution, a student pretrained with classification on degraded faces, then fine-tuned per \
            supervision (c: class only, s: regression to adapted features only, dc: class + regression to raw \
            teacher features, sc: class + regression to adapted features). Each student is written as \
            OUT/S-<p>-<x>-<teacher>.safetensors. Every stage checkpoints; rerun the same command to resume.
            """)

    @Option(help: "Aligned training faces, one folder per identity.")
    var images: String

    @Option(help: "People list restricting the training identities (e.g. LFW's peopleDevTrain.txt).")
    var people: String?

    @Option(name: .customLong("teacher-features"), help: "Teacher feature file (.npy beside its .txt); repeatable.")
    var teacherFeatures: [String] = []

    @Option(name: .customLong("teacher-model"), help: "Teacher as a Visage model file or an engine's name (`visage engines`); repeatable.")
    var teacherModels: [String] = []

    @Option(name: .customLong("teacher-name"), help: "Teacher name in student names (default: the file names, joined by +).")
    var teacherName: String?

    @Option(help: "Bridge-distillation configuration (JSON); the options below override it.")
    var config: String?

    @Option(help: "Student resolutions, comma-separated (e.g. 16,32).")
    var resolutions: String?

    @Option(help: "Supervisions, comma-separated codes: c, s, dc, sc.")
    var supervisions: String?

    @Option(help: "Seed of initialization, shuffling and degradation.")
    var seed: UInt64 = 0

    @Option(help: "Image-decoding threads.")
    var workers = 2

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be positive, got \(workers)") }
    }

    @Option(help: "Output folder.")
    var out: String

    func run() throws {
        var settings = try config.map { try BridgeDistillationConfig.load(from: URL(fileURLWithPath: $0)) }
            ?? BridgeDistillationConfig()
        if let resolutions {
            settings.resolutions = try resolutions.split(separator: ",").map {
                guard let value = Int($0.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--resolutions: '\($0)' is not an integer")
                }
                return value
            }
        }
        if let supervisions {
            settings.supervisions = try supervisions.split(separator: ",").map {
                try DistillationSupervision(parsing: String($0))
            }
        }
        guard !teacherFeatures.isEmpty || !teacherModels.isEmpty else {
            throw ValidationError("give a teacher: --teacher-features or --teacher-model")
        }
        var folder = try ImageFolder(root: URL(fileURLWithPath: images))
        if let people {
            folder = try folder.subset(identities: PeopleList(contentsOf: URL(fileURLWithPath: people)).names)
        }
        let training = try settings.bridgeSet.source(of: folder)
        print("training faces: \(folder.count) images of \(folder.classCount) identities under \(images)"
            + (training.count == folder.count ? "" : "; bridge set: \(training.count) faces "
                + "(\(settings.bridgeSet.viewsPerFace) views of each)"))
        let output = URL(fileURLWithPath: out)
        if !teacherModels.isEmpty { try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true) }
        var teachers: [TeacherFeatures] = []
        for path in teacherFeatures {
            let url = URL(fileURLWithPath: path)
            teachers.append(try TeacherFeatures(file: FeatureFile.load(features: url),
                                                name: Self.stem(path), source: training))
        }
        for path in teacherModels {
            let model = try FaceModel.load(path)
            let file = output.appendingPathComponent("teacher-\(Self.stem(path)).npy")
            teachers.append(try TeacherFeatures.embedded(by: model, name: Self.stem(path), source: training, keptIn: file))
            print("teacher \(Self.stem(path)): features of the \(training.count) training faces in \(file.path)")
        }
        var teacher = try TeacherFeatures.ensemble(teachers)
        if let teacherName { teacher = try teacher.renamed(teacherName) }
        print("teacher \(teacher.name): \(teacher.dimension)-D features")
        var distillation = try BridgeDistillation(config: settings, output: output,
                                                  training: training, classes: folder.classCount, teacher: teacher)
        distillation.seed = seed
        distillation.workers = workers
        // Standard error, unbuffered, beside the progress bars: stage lines appear as they happen.
        distillation.report = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        for student in try distillation.run() {
            print("\(student.name): \(student.url.path)")
        }
    }

    /// `dlib_resnet128` of `/x/dlib_resnet128.npy`.
    private static func stem(_ path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}

/// `visage distill eval`: verification of a student with both pair images degraded to its resolution.
struct DistillEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Verify a low-resolution student on a pair list, both images of a pair degraded to its input.",
        discussion: """
            Pair images under --root are downsampled (area) to the student's input side p×p (or --resolution), \
            embedded and scored by cosine similarity; a model whose input is not p×p (a teacher engine) gets them \
            upsampled back to its input, the baseline without training. Lists with folds use k-fold accuracy; a single-split list (LFW View 1's \
            pairsDevTest.txt) takes its threshold from --train-pairs (pairsDevTrain.txt). Prints accuracy and \
            TAR at each FAR; --out writes report.json/.md.
            """)

    @Option(help: ArgumentHelp("Student model file (visage distill run's S-*.safetensors), or any model or engine "
        + "(dlib-resnet) for the upsampled baseline."))
    var student: String

    @Option(help: ArgumentHelp("Side p the pair images are downsampled to (default: the model's input); a model of "
        + "another input gets them upsampled back (bicubic)."))
    var resolution: Int?

    @Option(help: "Image folder the pairs refer to (root/<identity>/<image>).")
    var root: String

    @Option(help: "Pair list in LFW format.")
    var pairs: String

    @Option(name: .long, help: "Pair list to choose the threshold on, for a single-split --pairs.")
    var trainPairs: String?

    @Option(help: "Name in the report (default: the file name).")
    var name: String?

    @Option(help: "Folder to write report.json and report.md to.")
    var out: String?

    @OptionGroup var precision: PrecisionOptions

    func run() throws {
        var file = try FaceModel.load(student)
        var verification = try LowResolutionVerification(model: file, resolution: resolution)
        if precision.precision != .fp32 {
            let lists = try ([pairs] + (trainPairs.map { [$0] } ?? [])).map { try PairList(contentsOf: URL(fileURLWithPath: $0)) }
            let pairImages = try ImageFileSource(imagesOf: lists, root: URL(fileURLWithPath: root)).paths
            let faces = try verification.faces(fromAligned: ImageFileSource(
                root: URL(fileURLWithPath: root), paths: pairImages.sorted()))
            file = try precision.apply(to: file, faces: faces, prepare: verification.faces(fromAligned:))
            verification = try LowResolutionVerification(model: file, resolution: resolution)
        }
        let result = try verification.evaluate(
            pairs: PairList(contentsOf: URL(fileURLWithPath: pairs)),
            trainingPairs: trainPairs.map { try PairList(contentsOf: URL(fileURLWithPath: $0)) },
            root: URL(fileURLWithPath: root), name: name ?? file.identifier)
        let side = verification.resolution
        print("\(result.name) at \(side)×\(side)"
            + (verification.degradation.upsampleBack ? " (upsampled back to its \(file.crop))" : "") + " on \(pairs) (\(result.positiveCount) matched + "
            + "\(result.negativeCount) mismatched pairs):")
        print("  accuracy  \(result.accuracy.summary)")
        print(String(format: "  AUC       %.4f", result.areaUnderCurve))
        for point in result.trueAcceptRates {
            print("  TAR@FAR=" + String(format: "%-6g %.2f %%", point.falseAcceptRate, 100 * point.trueAcceptRate))
        }
        if let out {
            let written = try EvaluationReport(verification: [result]).write(to: URL(fileURLWithPath: out))
            print("wrote \(written.json.path), \(written.markdown.path)")
        }
    }
}

/// `visage distill report`: the students' efficiency table next to a large reference network.
struct DistillReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Parameters, model bytes, FLOPs, inference memory and faces/s of the student per resolution.",
        discussion: """
            Measures the bridge-distillation student at each resolution and the reference network (IResNet-50 \
            at 112×112 by default) in one run: parameters, safetensors file bytes, FLOPs per face, activation \
            memory per face (peak tensor memory of a forward pass at the largest batch, as libtorch's allocator \
            counts it), faces/s at each batch.
            """)

    @Option(help: "Student resolutions, comma-separated.")
    var resolutions = "96,64,32,16"

    @Option(help: "Batch sizes, comma-separated.")
    var batches = "1,256"

    @Option(help: "Reference network (a backbone name), or 'none'.")
    var reference = "iresnet50"

    @Option(help: "Timed rounds per measurement (median).")
    var rounds = 3

    func run() throws {
        func integers(_ text: String, _ option: String) throws -> [Int] {
            try text.split(separator: ",").map {
                guard let value = Int($0.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw ValidationError("--\(option): '\($0)' is not a positive integer")
                }
                return value
            }
        }
        var benchmark = StudentEfficiencyBenchmark()
        benchmark.resolutions = try integers(resolutions, "resolutions")
        benchmark.batchSizes = try integers(batches, "batches")
        benchmark.reference = reference == "none" ? nil : try BackboneArchitecture(parsing: reference)
        benchmark.rounds = rounds
        print(benchmark.report(try benchmark.run()))
    }
}
