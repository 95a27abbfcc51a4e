import Foundation
import Torch

/// The `log.jsonl` of a run: one JSON object per line, in the order written.
///
/// Training lines: `{"kind": "train", "step", "epoch", "lr", <each loss>, "images_per_second", "time"}` with the
/// step count completed, the 0-based epoch, the learning rate of the last step, each loss's mean since the
/// previous line, and an ISO 8601 UTC time. Validation lines: `{"kind": "validation", "step", "epoch",
/// <each metric>, "time"}`. Non-finite metric values are written as `null`.
final class TrainingLog {
    /// Keys every line may carry, which losses and metrics cannot be named.
    static let reservedKeys: Set<String> = ["kind", "step", "epoch", "lr", "images_per_second", "time"]

    /// A value of one line.
    enum Value {
        case integer(Int)
        case number(Double)
        case text(String)
    }

    let url: URL
    private let handle: FileHandle

    /// Opens the log at `url`. A fresh run (`keepingThrough` nil) starts an empty file; a resumed run keeps
    /// the lines up to step `keepingThrough` and drops the later ones, which it is about to redo.
    init(url: URL, keepingThrough step: Int?) throws {
        self.url = url
        var kept = Data()
        if let step, let existing = try? Data(contentsOf: url) {
            for line in existing.split(separator: UInt8(ascii: "\n")) {
                let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                if let lineStep = object?["step"] as? Int, lineStep <= step {
                    kept.append(contentsOf: line)
                    kept.append(UInt8(ascii: "\n"))
                }
            }
        }
        try AtomicFile.write(kept, to: url)
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit {
        try? handle.close()
    }

    /// Appends one line with `fields` in order.
    func append(_ fields: [(String, Value)]) throws {
        let members = fields.map { key, value in Self.quoted(key) + ": " + Self.text(of: value) }
        try handle.write(contentsOf: Data(("{" + members.joined(separator: ", ") + "}\n").utf8))
    }

    /// The current time as ISO 8601 UTC with milliseconds.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    private static func text(of value: Value) -> String {
        switch value {
        case .integer(let integer): "\(integer)"
        case .number(let number): number.isFinite ? "\(number)" : "null"
        case .text(let string): quoted(string)
        }
    }

    private static func quoted(_ string: String) -> String {
        // Encoding a string cannot fail.
        String(decoding: try! JSONEncoder().encode(string), as: UTF8.self)
    }
}
