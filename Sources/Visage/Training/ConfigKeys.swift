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
