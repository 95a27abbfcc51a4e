import ArgumentParser
import Foundation
import SyntheticFaces
import Visage

/// `visage synth …`: the procedural synthetic face generator (the default dataset of a first run).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Render synthetic faces: an ImageFolder with an LFW-style pair list, a preview sheet, or a speed test.",
        subcommands: [SynthDatasetCommand.self, SynthSheetCommand.self, SynthBenchCommand.self],
        defaultSubcommand: SynthDatasetCommand.self
    )
}

/// The nuisance ranges photos are drawn from: a preset, then any individual overrides.
struct SynthConditionOptions: ParsableArguments {
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        case none, standard, hard
    }

    @Option(help: "Starting ranges: none (frontal, clean), standard (moderate) or hard (in the wild).")
    var preset: Preset = .standard

    @Option(help: "Largest yaw in degrees (drawn from ±this).")
    var maxYaw: Double?

    @Option(help: "Largest pitch in degrees.")
    var maxPitch: Double?

    @Option(help: "Largest roll left after alignment, in degrees.")
    var maxRoll: Double?

    @Option(help: "Largest light direction off the camera axis, in degrees.")
    var maxLightAngle: Double?

    @Option(help: "Directional light strength: one value or MIN,MAX.")
    var lightStrength: String?

    @Option(help: "Ambient light strength: one value or MIN,MAX.")
    var ambient: String?

    @Option(help: "Largest expression strength, 0...1.")
    var expression: Double?

    @Option(help: "Largest Gaussian blur sigma in pixels.")
    var blur: Double?

    @Option(help: "Largest sensor noise sigma in 8-bit levels.")
    var noise: Double?

    @Option(help: "Capture resolutions drawn from, comma-separated (112 is full resolution), e.g. 112,56,28.")
    var resolution: String?

    @Option(help: "Probability of an occlusion (bar, patch, sunglasses or mask), 0...1.")
    var occlusionProb: Double?

    /// The ranges these options describe, validated.
    func ranges() throws -> SyntheticConditionRanges {
        var ranges: SyntheticConditionRanges = switch preset {
        case .none: .none
        case .standard: .standard
        case .hard: .hard
        }
        if let maxYaw { ranges.maxYaw = maxYaw }
        if let maxPitch { ranges.maxPitch = maxPitch }
        if let maxRoll { ranges.maxRoll = maxRoll }
        if let maxLightAngle { ranges.maxLightAngle = maxLightAngle }
        if let lightStrength { ranges.lightStrength = try Self.range(lightStrength, option: "--light-strength") }
        if let ambient { ranges.ambient = try Self.range(ambient, option: "--ambient") }
        if let expression { ranges.expression = expression }
        if let blur { ranges.maxBlur = blur }
        if let noise { ranges.maxNoise = noise }
        if let resolution {
            ranges.resolutions = try resolution.split(separator: ",", omittingEmptySubsequences: false).map { part in
                guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--resolution '\(resolution)': '\(part)' is not a whole number of pixels")
                }
                return value
            }
        }
        if let occlusionProb { ranges.occlusionProbability = occlusionProb }
        do {
            try ranges.validate()
        } catch let error as SyntheticFaceError {
            throw ValidationError(error.description)
        }
        return ranges
    }

    /// "0.5" or "0.2,0.9" as a closed range.
    static func range(_ text: String, option: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0?.isFinite == true }) else {
            throw ValidationError("\(option) '\(text)': expected one number or MIN,MAX")
        }
        let low = parts[0]!, high = parts.last!!
        guard low <= high else { throw ValidationError("\(option) '\(text)': MIN is above MAX") }
        return low...high
    }
}

/// `visage synth [dataset] --identities N --per-identity K --out DIR`: writes the dataset and its pairs.
struct SynthDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Write N identities × K photos as OUT/<identity>/<identity>_<k>.png plus OUT/pairs.txt (LFW format)."
    )

    @Option(help: "Number of identities.")
    var identities: Int

    @Option(help: "Photos per identity (at least 2 for the pair list).")
    var perIdentity: Int

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Seed of identities, conditions and pairs; the same seed writes the same bytes.")
    var seed: UInt64 = 0

    @Option(help: "Identity-disjoint folds in the pair list.")
    var folds = 10

    @Option(help: "Matched (and mismatched) pairs per fold; default: up to 300, as many as every fold allows.")
    var pairsPerFold: Int?

    @Flag(help: "Write no pair list (allows one photo per identity).")
    var noPairs = false

    @Flag(help: "No progress bar.")
    var quiet = false

    @OptionGroup var conditions: SynthConditionOptions

    func validate() throws {
        guard !noPairs else { return }
        guard folds >= 1 else { throw ValidationError("--folds \(folds): must be at least 1, or write no pairs with --no-pairs") }
        guard folds <= identities / 2 else {
            throw ValidationError("--folds \(folds) needs two --identities per identity-disjoint fold, got \(identities) "
                + "identities: lower --folds, raise --identities, or write no pair list with --no-pairs")
        }
    }

    func run() throws {
        let dataset = try SyntheticDataset(identities: identities, imagesPerIdentity: perIdentity, seed: seed,
                                           ranges: conditions.ranges())
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        let pairs = try dataset.write(to: directory, folds: folds, pairsPerFold: pairsPerFold,
                                      includePairs: !noPairs, progress: !quiet)
        var summary = "wrote \(identities * perIdentity) images of \(identities) identities to \(directory.path)"
        if let pairs {
            summary += "; pairs.txt: \(pairs.folds.count) folds × \(pairs.perFold) matched + \(pairs.perFold) mismatched"
        }
        print(summary)
    }
}

/// `visage synth sheet --out FILE.png`: a preview grid of identities under the showcase conditions.
struct SynthSheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Write a preview grid: one row per identity, one column per nuisance (frontal, pose, light, expression, camera, occlusion)."
    )

    @Option(help: "Output image (.png or .jpg).")
    var out: String

    @Option(help: "Number of identities (rows).")
    var identities = 8

    @Option(help: "Seed of the dataset the identities come from.")
    var seed: UInt64 = 0

    @Option(help: """
        Columns to show, comma-separated indices into the showcase (default: all): 0 frontal, 1 yaw,         2 strong yaw with side light, 3 pitch and smile, 4 open mouth, raised brows, low resolution,         5 hard side light and roll, 6 blur, noise and sunglasses, 7 mask, 8 closed eyes and a bar.
        """)
    var columns: String?

    func run() throws {
        let showcase = SyntheticContactSheet.showcase
        var chosen = showcase
        if let columns {
            chosen = try columns.split(separator: ",").map { part in
                guard let index = Int(part.trimmingCharacters(in: .whitespaces)), showcase.indices.contains(index) else {
                    throw ValidationError("--columns '\(columns)': '\(part)' is not a column index 0...\(showcase.count - 1)")
                }
                return showcase[index]
            }
        }
        let dataset = try SyntheticDataset(identities: identities, imagesPerIdentity: 1, seed: seed)
        let sheet = try SyntheticContactSheet.render(identities: (0..<identities).map(dataset.identity),
                                                     conditions: chosen)
        try ImageCodec.write(sheet, to: URL(fileURLWithPath: out))
        print("wrote \(sheet.width)×\(sheet.height) sheet to \(out)")
    }
}

/// `visage synth bench`: single-thread rendering speed.
struct SynthBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure single-thread rendering speed (faces per second) in memory."
    )

    @Option(help: "Faces to render.")
    var faces = 2000

    @Option(help: "Identities to cycle through (heads are prepared before timing).")
    var identities = 20

    @OptionGroup var conditions: SynthConditionOptions

    func validate() throws {
        guard faces >= 1 else { throw ValidationError("--faces \(faces): must be at least 1") }
    }

    func run() throws {
        let dataset = try SyntheticDataset(identities: identities, imagesPerIdentity: faces, seed: 1,
                                           ranges: conditions.ranges())
        let headStart = Date()
        let heads = (0..<identities).map { SyntheticHead(dataset.identity($0)) }
        let headSeconds = Date().timeIntervalSince(headStart)
        let photos = (0..<faces).map { dataset.conditions(identity: $0 % identities, image: $0) }
        let renderer = SyntheticFaceRenderer()
        let start = Date()
        var checksum = 0
        for (index, conditions) in photos.enumerated() {
            checksum &+= Int(try renderer.render(heads[index % identities], conditions).pixels[6000])
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%d faces in %.2f s: %.0f faces/s (%.2f ms each); head preparation %.2f ms each [checksum %d]",
                     faces, seconds, Double(faces) / seconds, seconds / Double(faces) * 1000,
                     headSeconds / Double(identities) * 1000, checksum))
    }
}
