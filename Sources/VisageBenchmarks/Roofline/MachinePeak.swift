import Foundation
import Torch
import Visage

/// The machine's side of the roofline: the CPU by name and vector flags, its fp32 peak from a measured FMA loop
/// (``FMAPeak``) and libtorch's measured sgemm, on the threads the networks use.
public struct MachinePeak: Sendable, Codable, Equatable {
    /// The CPU's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
    public var cpu: String
    /// The CPU flags that decide fp32/bf16/int8 throughput (avx2, fma, avx512*, amx*), as /proc/cpuinfo lists them.
    public var vectorFlags: [String]
    /// Threads of the FMA loop and the sgemm.
    public var threads: Int
    /// fp32 lanes of the FMA loop's vectors.
    public var fmaLanes: Int
    /// Measured FMA-loop GFLOP/s on ``threads`` threads: the fp32 peak the fractions divide by.
    public var fmaGFLOPs: Double
    /// Side of the square sgemm.
    public var sgemmSize: Int
    /// Measured libtorch `matmul` GFLOP/s of two `sgemmSize`² fp32 matrices.
    public var sgemmGFLOPs: Double

    /// The CPU's model name and vector flags.
    public static func cpuDescription(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> (name: String, flags: [String])
    {
        guard let cpuinfo else { return ("unknown CPU", []) }
        func field(_ key: String) -> String? {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix(key) {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        let flags = (field("flags") ?? "").split(separator: " ").map(String.init)
            .filter { $0 == "fma" || $0.hasPrefix("avx") || $0.hasPrefix("amx") }
        return (field("model name") ?? "unknown CPU", flags)
    }

    /// Measures the peak: the best of `rounds` FMA-loop runs of about `seconds` each (judged from a short run) and
    /// the best of `rounds` sgemm rounds at `sgemmSize`. Best, not median: these are what the machine can do, and
    /// on a shared machine a short round is the one most likely to run without being preempted.
    public static func measure(threads: Int, seconds: Double = 0.1, rounds: Int = 10, sgemmSize: Int = 1536)
        throws -> MachinePeak
    {
        let probe = try FMAPeak.measure(threads: threads, iterations: 100_000)
        let iterations = max(1000, Int(Double(probe.iterations) * seconds / max(probe.seconds, 1e-6)))
        var best = 0.0
        for _ in 0..<max(1, rounds) {
            best = max(best, try FMAPeak.measure(threads: threads, iterations: iterations).flopsPerSecond)
        }
        let previousThreads = Runtime.threads
        Runtime.threads = threads
        defer { Runtime.threads = previousThreads }
        let a = Tensor.randn([sgemmSize, sgemmSize])
        let b = Tensor.randn([sgemmSize, sgemmSize])
        var milliseconds = Double.infinity
        try withTorchErrors {
            _ = a.matmul(b)
            for _ in 0..<max(1, rounds) {
                milliseconds = min(milliseconds, BenchmarkTiming.medianMilliseconds(warmup: 0, iterations: 1, rounds: 1) {
                    _ = a.matmul(b)
                })
            }
        }
        let (name, flags) = cpuDescription()
        return MachinePeak(cpu: name, vectorFlags: flags, threads: threads, fmaLanes: FMAPeak.vectorLanes,
                           fmaGFLOPs: best / 1e9, sgemmSize: sgemmSize,
                           sgemmGFLOPs: 2 * pow(Double(sgemmSize), 3) / (milliseconds / 1000) / 1e9)
    }
}
