import Torch

/// The bridge students' PyTorch mirror (`Anchors/bridge_student.py`: evaluation mode, no_grad, the same libtorch
/// and threads, glibc keeping freed memory where Visage does), timed at the given sides and batches in one run.
enum BridgeStudentMirror {
    /// Faces/s in NCHW and in channels-last, keyed by `"<side>x<batch>"`.
    static func facesPerSecond(python: String, script: String, threads: Int, sides: [Int], batches: [Int],
                               rounds: Int, seconds: Double) throws -> [String: (nchw: Double, channelsLast: Double)] {
        let result = try PythonAnchor.run(
            python: python, script: script,
            arguments: ["--threads", "\(threads)", "--sizes", sides.map(String.init).joined(separator: ","),
                        "--batches", batches.map(String.init).joined(separator: ","),
                        "--rounds", "\(rounds)", "--seconds", "\(seconds)"],
            environment: Runtime.keepsFreedMemory ? RecognitionBenchmark.keepFreedMemoryEnvironment : [:])
        var speeds: [String: (nchw: Double, channelsLast: Double)] = [:]
        for side in sides {
            for batch in batches {
                let key = "\(side)x\(batch)"
                speeds[key] = (try PythonAnchor.number("nchw_\(key)", in: result, script: script),
                               try PythonAnchor.number("channels_last_\(key)", in: result, script: script))
            }
        }
        return speeds
    }
}
