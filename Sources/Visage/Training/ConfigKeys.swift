import Foundation

/// Strict reading of configuration objects: a misspelt key is an error, not a silently ignored setting, and
/// every error names the key.
enum ConfigKeys {
    /// Any key of a JSON object.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A coding path as a dotted key with array indices in brackets: `schedule.milestones[1]`.
    static func dotted(_ path: [any CodingKey]) -> String? {
        guard !path.isEmpty else { return nil }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// Decodes a configuration object of type `Value` from JSON text; errors name `file`, the key and the value
    /// found there.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String?)
        throws(TrainingConfigError) -> Value {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TrainingConfigError(file: file, key: nil, "not valid JSON (\(Self.reason(of: error)))")
        }
        guard tree is [String: Any] else {
            throw TrainingConfigError(file: file, key: nil, "expected a JSON object of settings")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch var error as TrainingConfigError {
            error.file = file
            throw error
        } catch let error as DecodingError {
            throw describe(error, tree: tree, file: file)
        } catch {
            throw TrainingConfigError(file: file, key: nil, "\(error)")
        }
    }

    /// A decoding error as a message naming the key and quoting the value found there.
    private static func describe(_ error: DecodingError, tree: Any, file: String?) -> TrainingConfigError {
        let (context, problem): (DecodingError.Context, String) = switch error {
        case .typeMismatch(let type, let context): (context, "expected \(typeName(type))")
        case .valueNotFound(let type, let context): (context, "expected \(typeName(type))")
        case .keyNotFound(let key, let context): (context, "missing required key \"\(key.stringValue)\"")
        case .dataCorrupted(let context): (context, context.debugDescription)
        @unknown default: (DecodingError.Context(codingPath: [], debugDescription: ""), "\(error)")
        }
        let path = context.codingPath
        let key = dotted(path)
        if case .keyNotFound = error { return TrainingConfigError(file: file, key: key, problem) }
        if let found = value(at: path, in: tree) {
            return TrainingConfigError(file: file, key: key, "\(found) is invalid: \(problem)")
        }
        return TrainingConfigError(file: file, key: key, problem)
    }

    /// The JSON text of the value at `path` in `tree`, nil where there is none.
    private static func value(at path: [any CodingKey], in tree: Any) -> String? {
        var node: Any = tree
        for key in path {
            if let index = key.intValue, let array = node as? [Any], array.indices.contains(index) {
                node = array[index]
            } else if let object = node as? [String: Any], let child = object[key.stringValue] {
                node = child
            } else {
                return nil
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type, is [Int].Type: type == [Int].self ? "a list of integers" : "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }

    private static func reason(of error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
    }

    /// Throws at the first key of the object being decoded that is not in `allowed`.
    static func rejectUnknown(in decoder: any Decoder, allowed: [String], context: String) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let known = Set(allowed)
        guard let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) })
        else { return }
        throw TrainingConfigError(
            key: dotted(decoder.codingPath + [Key(stringValue: unknown)]),
            "unknown key in \(context) (known keys: \(allowed.sorted().joined(separator: ", ")))")
    }
}

extension KeyedDecodingContainer {
    /// The value under `key`, nil when absent; a number that does not fit `type` (2.5 for an integer) is
    /// reported at `key` — Foundation's decoder raises its own pathless error for it.
    func decodeSetting<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        do {
            return try decodeIfPresent(type, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch let error as TrainingConfigError {
            throw error
        } catch {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath + [key],
                                                         debugDescription: "\(error)", underlyingError: error))
        }
    }
}
