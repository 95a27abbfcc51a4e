import Foundation

/// Everything a face recognition run depends on, from one `--config` JSON file and the flags that override it:
/// the trainer's settings (``TrainingConfig``, its keys at the top level) and the model and loss
/// (``FaceRecognitionRecipe``, under `"recipe"`).
///
/// ```json
/// {"steps": 2000, "batch_size": 128, "learning_rate": 0.05, "warmup": 100,
///  "recipe": {"architecture": "bridge-student", "loss": "arcface", "scale": 32, "margin": 0.3}}
/// ```
///
/// Both parts are read strictly: unknown keys and invalid values are errors naming the file and the key
/// (`recipe.scale`). The run records them in its folder (`config.json`, `recipe.json`), and a resume with any
/// other setting is refused, naming it.
public struct RecognitionRunConfiguration {
    public var recipe: FaceRecognitionRecipe
    public var training: TrainingConfig

    /// Reads the settings.
    /// - Parameters:
    ///   - data: the `--config` file's JSON text; nil for no file, which takes `trainingDefaults` and
    ///     `recipeDefaults` alone.
    ///   - file: the file's path, for errors.
    ///   - recipeDefaults: recipe keys under the file's, as a command's own defaults (the demo's small model);
    ///     its embedding and input size give way when the file or a flag names the architecture, its scale and
    ///     margin when they name the loss.
    ///   - recipeOverrides: recipe keys over the file's, from flags (`["scale": 32]`, `["hard_view":
    ///     ["resolutions": [16]]]`), given the recipe keys they override; objects merge key by key. Errors about
    ///   them name no file.
    ///   - trainingDefaults: the trainer's settings without a file; a file's absent keys take
    ///     ``TrainingConfig``'s defaults.
    public static func read(
        _ data: Data?, file: String? = nil, recipeDefaults: [String: Any] = [:],
        recipeOverrides: (_ base: [String: Any]) throws -> [String: Any] = { _ in [:] },
        trainingDefaults: TrainingConfig = TrainingConfig()
    ) throws -> RecognitionRunConfiguration {
        var training = trainingDefaults
        var fileRecipe: [String: Any] = [:]
        if let data {
            guard var tree = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                // Not an object, or not JSON: the trainer's reader names the problem.
                _ = try TrainingConfig.decode(data, file: file)
                throw TrainingConfigError(file: file, key: nil, "expected a JSON object of settings")
            }
            if let recipe = tree.removeValue(forKey: "recipe") {
                guard let object = recipe as? [String: Any] else {
                    throw TrainingConfigError(file: file, key: "recipe", "expected an object of recipe settings")
                }
                fileRecipe = object
            }
            training = try TrainingConfig.decode(json(tree), file: file)
        }
        let overrides = try recipeOverrides(merged(recipeDefaults, fileRecipe))
        // A command's default sizes belong to its default architecture, its scale and margin to its loss.
        var defaults = recipeDefaults
        for given in [fileRecipe, overrides] {
            if given["architecture"] != nil { defaults["embedding_size"] = nil; defaults["input_size"] = nil }
            if given["loss"] != nil { defaults["scale"] = nil; defaults["margin"] = nil }
        }
        let base = merged(defaults, fileRecipe)
        let recipeTree = merged(base, overrides)
        let recipe: FaceRecognitionRecipe
        do {
            recipe = try ConfigKeys.decode(RecipeSection.self, from: json(["recipe": recipeTree]), file: file).recipe
        } catch {
            var error = error
            // A setting given by a flag is not the file's.
            let key = error.key.map { $0.hasPrefix("recipe.") ? String($0.dropFirst(7)) : $0 } ?? ""
            var given: Any? = overrides
            for part in key.split(separator: ".") { given = (given as? [String: Any])?[String(part)] }
            if data == nil || given != nil && !(given is [String: Any]) { error.file = nil }
            throw error
        }
        return RecognitionRunConfiguration(recipe: recipe, training: training)
    }

    /// Reads the `--config` file at `url` (nil: no file) as ``read(_:file:recipeDefaults:recipeOverrides:trainingDefaults:)`` does.
    public static func load(
        from url: URL?, recipeDefaults: [String: Any] = [:],
        recipeOverrides: (_ base: [String: Any]) throws -> [String: Any] = { _ in [:] },
        trainingDefaults: TrainingConfig = TrainingConfig()
    ) throws -> RecognitionRunConfiguration {
        var data: Data?
        if let url {
            do { data = try Data(contentsOf: url) } catch {
                throw TrainingConfigError(file: url.path, key: nil, "cannot read the file: \(error.localizedDescription)")
            }
        }
        return try read(data, file: url?.path, recipeDefaults: recipeDefaults, recipeOverrides: recipeOverrides,
                        trainingDefaults: trainingDefaults)
    }

    /// The recipe under its key, so that errors name `recipe.KEY`.
    private struct RecipeSection: Decodable {
        var recipe: FaceRecognitionRecipe
    }

    /// `top` over `base`; where both hold an object under a key, the objects merge the same way.
    private static func merged(_ base: [String: Any], _ top: [String: Any]) -> [String: Any] {
        base.merging(top) { old, new in
            if let old = old as? [String: Any], let new = new as? [String: Any] { return merged(old, new) }
            return new
        }
    }

    private static func json(_ object: [String: Any]) throws(TrainingConfigError) -> Data {
        do { return try JSONSerialization.data(withJSONObject: object) } catch {
            throw TrainingConfigError(key: nil, "a setting is not a finite number or JSON value: \(object)")
        }
    }
}
