import ArgumentParser
import Foundation
import Visage

/// `visage verify`: are the faces in two photos the same person?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide whether two photos show the same person, with an engine's score and threshold.",
        discussion: """
            Each photo's largest face is detected, aligned as the engine wants and embedded; the score is the \
            cosine similarity of the two L2-normalized templates, and the decision compares it with the engine's \
            threshold (chosen on LFW View 1's training pairs; see `visage engines`) or --threshold. Exit status: 0 \
            same person, 1 different people, 2 when a photo has no face or cannot be read.
            """)

    @Argument(help: "The first photo.")
    var first: String

    @Argument(help: "The second photo.")
    var second: String

    @Option(help: "Recognition engine (`visage engines`) or a model file from `visage train`.")
    var engine = EngineCatalogue.dlibResNet.name

    @Option(help: "Cosine similarity from which the faces are the same person (default: the engine's).")
    var threshold: Double?

    @Option(help: "Times to double each photo before detection (faces from ~40 px at 1).")
    var upsample = 1

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        do {
            try compare()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Status 1 means "different people", so every failure exits 2.
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func compare() throws {
        let model = try FaceModel.load(engine)
        guard let threshold = threshold ?? model.engine?.threshold else {
            throw ValidationError("\(model.identifier) has no calibrated threshold; give --threshold")
        }
        let finder = try FaceFinder.load(upsample: upsample)
        let detections = try PhotoDetections.detect(PhotoList([first, second]), finder: finder, showProgress: false)
        for photo in detections.photos where photo.error != nil || photo.faces.isEmpty {
            let reason = photo.error ?? "no face found (faces under about \(80 >> upsample) pixels need a larger --upsample)"
            FileHandle.standardError.write(Data("\(photo.name): \(reason)\n".utf8))
            throw ExitCode(2)
        }
        let faces = DetectedFaceSource(detections, crop: model.crop, everyFace: false)
        let templates = try model.embedder(batchSize: 2, workers: 1).embed(faces, showProgress: false)
        let score = zip(templates.row(0), templates.row(1)).reduce(0) { $0 + Double($1.0 * $1.1) }
        let same = score >= threshold
        if json {
            print("{\"engine\": \"\(model.identifier)\", \"score\": \(score), \"threshold\": \(threshold), "
                + "\"same_person\": \(same)}")
        } else {
            print(String(format: "%@: cosine %.4f, threshold %.4f → %@", model.identifier, score, threshold,
                         same ? "same person" : "different people"))
        }
        if !same { throw ExitCode(1) }
    }
}
