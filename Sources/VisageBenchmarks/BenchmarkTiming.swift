import Foundation
import Visage

/// Timing helpers shared by the benchmarks: warm-up, repeated rounds, median.
public enum BenchmarkTiming {
    /// Median milliseconds per call of `body` over `rounds` rounds of `iterations` calls, after `warmup` calls.
    public static func medianMilliseconds(warmup: Int, iterations: Int, rounds: Int, _ body: () throws -> Void)
        rethrows -> Double
    {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { try body() }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            samples.append(elapsed / Double(iterations))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Median milliseconds per call of `body` over `rounds` rounds, each round as many calls as fit in about
    /// `secondsPerRound` judging by one warm-up call.
    public static func medianMilliseconds(secondsPerRound: Double, rounds: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let warmup = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let iterations = max(1, Int(secondsPerRound / max(warmup, 1e-6)))
        return medianMilliseconds(warmup: 0, iterations: iterations, rounds: rounds, body)
    }
}

/// A benchmark table's cell: `text` padded with spaces to `width` characters, right-aligned unless `left`.
public func tableCell(_ text: String, _ width: Int, left: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return left ? text + padding : padding + text
}

/// Runs a Python anchor script and decodes the one JSON object it prints.
public enum PythonAnchor {
    /// Errors starting or reading the Python side.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `python script arguments…` and returns its last output line parsed as a JSON object.
    /// - Parameter environment: variables added to this process's environment for the child.
    public static func run(python: String, script: String, arguments: [String],
                           environment: [String: String] = [:]) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: script) else {
            throw Failure(description: "Python anchor script not found at \(script); run from the repository root")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(python): \(error.localizedDescription) "
                          + "(scripts/setup.sh installs Debian's python3-torch)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script) failed (status \(process.terminationStatus)): \(errorText)")
        }
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any] else {
            throw Failure(description: "\(script) printed no JSON result: \(lastLine)")
        }
        return object
    }

    /// The number under `key` in an anchor's result; throws naming `script` and the key when it is missing or
    /// not a number.
    public static func number(_ key: String, in result: [String: Any], script: String) throws -> Double {
        guard let number = result[key] as? Double else {
            throw Failure(description: "\(script) did not report \(key)")
        }
        return number
    }
}
