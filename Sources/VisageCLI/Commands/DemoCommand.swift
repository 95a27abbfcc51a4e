import ArgumentParser
import Foundation
import SyntheticFaces
import Visage

/// `visage demo`: the first run — train on synthetic faces, evaluate on unseen synthetic people, write plots.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small face model on synthetic faces and evaluate it on unseen synthetic people.",
        discussion: """
            Needs no data: faces are rendered on the fly by the synthetic generator. OUT receives the trained \
            model, the training log and checkpoints, the test pair list, report.json/report.md and ROC curves \
            (roc.png, roc.svg) of the model before and after training. Each network is verified three times on \
            the same pairs: with both photos under the training conditions (matched), and with the second photo \
            of every pair turned to a yaw of 45-60 degrees (pose-shifted; training saw at most 25) or captured \
            at 16, 20 or 24 pixels (resolution-shifted; training saw 112). The model, loss and trainer flags \
            are those of `visage train`, with the demo's defaults: \(SyntheticDemo().summary).
            """)

    @Option(help: "Synthetic training identities.")
    var identities = 200

    @OptionGroup(title: "Model and loss") var recipeOptions: RecipeOptions

    @OptionGroup(title: "Trainer") var trainer: TrainerOptions

    @Option(help: "Decoding and rendering threads.")
    var workers = 2

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be positive, got \(workers)") }
    }

    @Flag(help: "Continue an interrupted demo from its last checkpoint.")
    var resume = false

    func run() throws {
        var demo = SyntheticDemo()
        let settings = try RecognitionRunConfiguration.read(
            nil, recipeDefaults: demo.recipe.jsonObject, recipeOverrides: recipeOptions.overrides(of:))
        demo.recipe = settings.recipe
        demo.config = try trainer.apply(to: demo.config)
        demo.trainIdentities = identities
        demo.workers = workers
        print("training \(demo.summary)")
        let outcome = try demo.run(resume: resume)
        print("10-fold verification of unseen synthetic people; the shifted rows move the second photo of each pair:")
        for result in outcome.report.verification {
            print("\(result.name): accuracy \(result.accuracy.summary), "
                + String(format: "AUC %.4f, EER %.2f %%", result.areaUnderCurve, 100 * result.equalErrorRate))
        }
        print("wrote " + outcome.files.map(\.path).joined(separator: ", "))
    }
}
