import ArgumentParser
import Foundation
import Visage

/// `visage augment`: varied copies of an aligned ImageFolder, for label-free training pairs.
struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Write varied copies (flipped, re-cropped, re-lit, degraded) of an aligned ImageFolder's faces.",
        discussion: """
            Every image of DATA (or of the people in --people) gets --copies variants, written as \
            OUT/<identity>/<name>_v<k>.<ext>, with the original as _v0 when --include-originals is given. Copy k of \
            image i depends only on --seed, i and k. Each copy is flipped with probability 0.5, re-cropped to \
            85–100 % of its side, jittered ±20 % in brightness and contrast; a share (--relight-probability, \
            default a third) are re-lit by a random side light and a share (--degrade-probability) degraded \
            (24–64 px, blur, noise, JPEG 40–90, upsampled back). Embedded by two \
            engines (`visage embed`), the copies are training pairs for `visage cross-model train`; embedded by a \
            teacher, a bridge set for distillation. OUT must not exist; it appears only when complete.
            """)

    @Option(help: "Aligned ImageFolder (one sub-folder per identity).")
    var data: String

    @Option(help: "A people list (LFW format, e.g. peopleDevTrain.txt): only these identities.")
    var people: String?

    @Option(help: "Varied copies per image.")
    var copies: Int

    @Flag(help: "Also write each original unchanged, as copy 0.")
    var includeOriginals = false

    @Option(help: "Share of copies re-lit by a random side light, 0…1.")
    var relightProbability = 1.0 / 3

    @Option(help: "Share of copies degraded (24–64 px, blur, noise, JPEG), 0…1.")
    var degradeProbability = 1.0 / 3

    @Option(help: "Seed of the variations; the same seed writes the same images.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads.")
    var workers: Int = 2

    @Option(help: "Folder to create.")
    var out: String

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() throws {
        var folder = try ImageFolder(root: URL(fileURLWithPath: data))
        if let people { folder = try folder.subset(identities: PeopleList(contentsOf: URL(fileURLWithPath: people)).names) }
        let variation = try FaceVariation(relightProbability: relightProbability, degradeProbability: degradeProbability)
        let written = try variation.write(
            folder, copies: copies, includeOriginals: includeOriginals, seed: seed,
            to: URL(fileURLWithPath: out, isDirectory: true), threads: workers)
        print("wrote \(written) images of \(folder.classCount) identities to \(out)")
    }
}
