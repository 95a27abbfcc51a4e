import ArgumentParser
import Foundation
import Visage

/// `visage engines`: the pretrained models Visage knows, with their sources, licences and whether their weights
/// are in place.
struct EnginesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engines",
        abstract: "List the pretrained engines (recognition, detection, landmarks) and check their weights.",
        discussion: """
            A recognition engine's name is accepted wherever a model file is (--model dlib-resnet). Weights live \
            in $VISAGE_WEIGHTS, else ~/.cache/visage/weights; scripts/setup.sh fetches them. Each file is checked \
            against its pinned size and SHA-256 before use.
            """)

    @Flag(name: .long, help: "Print the catalogue as JSON.")
    var json = false

    func run() throws {
        let folder = EngineWeights.folder()
        let status = EngineCatalogue.all.map { entry -> String in
            do {
                _ = try EngineWeights.verifiedURL(for: entry.weights, in: folder)
                return "ready"
            } catch let error as EngineError {
                if case .missingWeights = error { return "missing (\(entry.weights.source))" }
                return "refused: \(error)"
            } catch {
                return "unreadable: \(error)"
            }
        }
        if json {
            struct Listed: Encodable {
                var engine: EngineCatalogue.Entry
                var weightsStatus: String
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let listed = zip(EngineCatalogue.all, status).map { Listed(engine: $0, weightsStatus: $1) }
            print(String(decoding: try encoder.encode(listed), as: UTF8.self))
            return
        }
        print("weights folder: \(folder.path)\n")
        for (entry, state) in zip(EngineCatalogue.all, status) {
            print("\(entry.name)  [\(entry.kind.rawValue)\(entry.embeddingSize.map { ", \($0)-D" } ?? "")]")
            print("  \(entry.summary)")
            print("  input     \(entry.input)")
            print("  source    \(entry.source)")
            print("  licence   \(entry.licence)")
            print("  weights   \(entry.weights.fileName), \(entry.weights.byteCount) bytes, sha256 \(entry.weights.sha256)")
            print("  published \(entry.published)")
            print("  measured  \(entry.measured)")
            print("  status    \(state)\n")
        }
    }
}
