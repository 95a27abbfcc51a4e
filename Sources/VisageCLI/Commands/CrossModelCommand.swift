import ArgumentParser
import Foundation
import Visage

/// `visage cross-model`: train and evaluate feature transformations between face models (R³AN).
struct CrossModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cross-model",
        abstract: "Cross-model face recognition: train R³AN, the FC baseline or the linear map, evaluate top-1 identification.",
        subcommands: [CrossModelTrainCommand.self, CrossModelEvaluateCommand.self, CrossModelFacesCommand.self],
        aliases: ["crossmodel"])
}

/// The paired feature files and the identity split shared by the `cross-model` subcommands.
struct CrossModelDataOptions: ParsableArguments {
    @Option(name: .long, help: "Source-model features (.npy with its .txt image list).")
    var source: String

    @Option(name: .long, help: "Target-model features of the same images (.npy with its .txt image list).")
    var target: String

    @Option(name: .long, help: "Folder the listed image paths are relative to.")
    var images: String

    @Option(name: .long, help: "Fraction of identities held out for evaluation, drawn at random (default 0.2).")
    var testFraction: Double?

    @Option(name: .long, help: ArgumentHelp(
        "People list (LFW format, e.g. peopleDevTrain.txt) of the training identities; every other identity is "
            + "held out for evaluation. Replaces --test-fraction.",
        discussion: "An identity is its images' folder, matched by the folder's name (aligned/Aaron_Peirsol is "
            + "Aaron_Peirsol)."))
    var trainPeople: String?

    @Option(name: .long, help: "Seed of the random identity split (and of training).")
    var seed: UInt64 = 0

    func validate() throws {
        if testFraction != nil && trainPeople != nil {
            throw ValidationError("give --train-people or --test-fraction, not both")
        }
    }

    /// Loads the paired features.
    func loadPairs() throws -> CrossModelPairs {
        try CrossModelPairs.load(
            source: URL(fileURLWithPath: source), target: URL(fileURLWithPath: target),
            imageRoot: URL(fileURLWithPath: images))
    }

    /// The training and held-out parts of `pairs`: by --train-people when given, else at random.
    func split(_ pairs: CrossModelPairs) throws -> (train: CrossModelPairs, test: CrossModelPairs) {
        if let trainPeople {
            return try pairs.splitByIdentity(trainPeople: PeopleList(contentsOf: URL(fileURLWithPath: trainPeople)))
        }
        return try pairs.splitByIdentity(testFraction: testFraction ?? 0.2, seed: seed)
    }
}
