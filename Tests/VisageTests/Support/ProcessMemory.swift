import Foundation

/// This process's memory high-water marks from `/proc/self/status`, for tests that bound what an operation
/// allocates (run them in a fresh process, `#expect(processExitsWith:)`, so other tests' peaks do not count).
enum ProcessMemory {
    /// Whether the figures can be read here (Linux).
    static let isAvailable = FileManager.default.fileExists(atPath: "/proc/self/status")

    /// Peak virtual memory size in bytes (`VmPeak`), which counts allocations whose pages were never touched.
    static func peakVirtual() -> Int? { field("VmPeak") }

    /// Peak resident set size in bytes (`VmHWM`): the most memory the process has held at once.
    static func peakResident() -> Int? { field("VmHWM") }

    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(name):") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}
