import ArgumentParser
import Foundation
import Visage

/// The flags that set a ``FaceRecognitionRecipe``: model, loss, hard view and distillation. Each overrides
/// its key of the command's recipe (the `"recipe"` of `--config`, or the command's own defaults); left out, the
/// embedding and input size are the architecture's.
struct RecipeOptions: ParsableArguments {
    @Option(help: "Backbone; it sets the default embedding and input size.")
    var arch: BackboneArchitecture?

    @Option(help: ArgumentHelp("Embedding size (default: the architecture's, "
        + Self.defaults(\.defaultEmbeddingSize) + ")."))
    var embeddingSize: Int?

    @Option(help: ArgumentHelp("Input side in pixels; faces of another size are resized to it (default: the "
        + "architecture's, " + Self.defaults(\.nativeInputSize) + ")."))
    var inputSize: Int?

    @Option(help: "Classification loss (default arcface).")
    var loss: MarginKind.Name?

    @Option(help: "Scale s of the normalized cosines (default 64; not for softmax).")
    var scale: Double?

    @Option(help: ArgumentHelp("Margin m: subtracted from the cosine for cosface (default 0.4), added to the angle in "
        + "radians for arcface and curricularface (default 0.5); not for softmax."))
    var margin: Double?

    @Option(help: "Hard view: degrade every face to one of these resolutions (comma-separated, e.g. 16,24,32).")
    var hardResolutions: String?

    @Option(help: "Hard view: strength of the random illumination change, 0…1 (default 0; needs a hard view).")
    var hardIllumination: Double?

    @Option(help: "Hard view: landmark jitter in template pixels before re-alignment (default 0; needs a hard view).")
    var hardJitter: Double?

    @Flag(help: "Add the Distribution Distillation Loss from each face to its hard view (needs a hard view).")
    var ddl = false

    @Option(help: "DDL weight of KL(P⁺‖Q⁺), the positive similarities (default 0.1; needs DDL).")
    var ddlPositiveWeight: Double?

    @Option(help: "DDL weight of KL(P⁻‖Q⁻), the hardest negatives (default 0.02; needs DDL).")
    var ddlNegativeWeight: Double?

    @Option(help: "DDL weight of the order term (default 0.5; needs DDL).")
    var ddlOrderWeight: Double?

    @Option(help: "DDL histogram bins over [−1, 1] (default 201; needs DDL).")
    var ddlBins: Int?

    @Option(help: "DDL Gaussian kernel width σ of the soft histograms (default 0.1; needs DDL).")
    var ddlKernelWidth: Double?

    @Option(help: "Keep up to this many images of one identity together in a batch (same-identity pairs for --ddl).")
    var identityGroups: Int?

    @Flag(help: ArgumentHelp("Partial FC: split the head's class centers across the processes (arcface or cosface).",
                             discussion: "Each rank holds a contiguous range of the classes (rank r of N the r-th "
                                 + "N-th, the first classes % N one more) and checkpoints its own; the run resumes on "
                                 + "the same number of processes only, and across hosts OUT must be one shared folder."))
    var partialFc = false

    @Option(help: "Partial FC: the fraction of each rank's class centers used per step, the batch's always (default 1; needs --partial-fc).")
    var sampleRate: Double?

    /// The recipe keys these flags set, for ``RecognitionRunConfiguration/read(_:file:recipeDefaults:recipeOverrides:trainingDefaults:)``.
    ///
    /// `base` is the recipe the flags override (the config file's); the hard-view and DDL settings need a hard
    /// view or DDL there or from these flags.
    func overrides(of base: [String: Any] = [:]) throws -> [String: Any] {
        var keys: [String: Any] = [:]
        keys["architecture"] = arch?.description
        keys["embedding_size"] = embeddingSize
        keys["input_size"] = inputSize
        keys["loss"] = loss?.rawValue
        keys["scale"] = scale
        keys["margin"] = margin
        keys["identity_group_size"] = identityGroups
        if partialFc || sampleRate != nil {
            guard partialFc || base["partial_fc"] is [String: Any] else {
                throw ValidationError("--sample-rate needs --partial-fc")
            }
            keys["partial_fc"] = sampleRate.map { ["sample_rate": $0] } ?? [String: Any]()
        }
        var hardView: [String: Any] = [:]
        if let hardResolutions {
            hardView["resolutions"] = try hardResolutions.split(separator: ",", omittingEmptySubsequences: false)
                .map { text -> Int in
                    guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                        throw ValidationError("--hard-resolutions: '\(text)' is not a positive integer")
                    }
                    return value
                }
        }
        hardView["illumination"] = hardIllumination
        hardView["landmark_jitter"] = hardJitter
        if !hardView.isEmpty {
            guard hardResolutions != nil || base["hard_view"] is [String: Any] else {
                throw ValidationError("--hard-illumination and --hard-jitter need a hard view: give --hard-resolutions")
            }
            keys["hard_view"] = hardView
        }
        var distillation: [String: Any] = [:]
        distillation["positive_weight"] = ddlPositiveWeight
        distillation["negative_weight"] = ddlNegativeWeight
        distillation["order_weight"] = ddlOrderWeight
        distillation["bins"] = ddlBins
        distillation["kernel_width"] = ddlKernelWidth
        if ddl || !distillation.isEmpty {
            guard ddl || base["distillation"] is [String: Any] else {
                throw ValidationError("--ddl-positive-weight, --ddl-negative-weight, --ddl-order-weight, --ddl-bins "
                    + "and --ddl-kernel-width need --ddl")
            }
            keys["distillation"] = distillation
        }
        return keys
    }

    /// "128 for bridge-student and mobilefacenet-ms1m, 512 for the others": an architecture setting's values.
    private static func defaults(_ setting: KeyPath<BackboneArchitecture, Int>) -> String {
        let common = BackboneArchitecture.mobileFaceNet[keyPath: setting]
        let others = BackboneArchitecture.all.filter { $0[keyPath: setting] != common }
        return Dictionary(grouping: others, by: { $0[keyPath: setting] }).sorted { $0.key < $1.key }
            .map { value, architectures in
                "\(value) for " + architectures.map(\.description).joined(separator: " and ")
            }.joined(separator: ", ") + ", \(common) for the others"
    }
}
