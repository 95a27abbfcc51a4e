import Foundation
@testable import VisageCLI

/// `visage` run in this process as the shell would run it: arguments parsed and validated, then the command run.
enum CLI {
    static func run(_ arguments: [String]) throws {
        var command = try VisageCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// The message `visage` prints for the error `arguments` end in, or nil when the command succeeds.
    static func failure(_ arguments: [String]) -> String? {
        do {
            try run(arguments)
            return nil
        } catch {
            return VisageCommand.message(for: error)
        }
    }

    /// A new empty folder under the temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }
}
