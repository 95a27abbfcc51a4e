import ArgumentParser
import Visage

/// Architectures as `--arch` values, listed by `--help`.
extension BackboneArchitecture: ExpressibleByArgument {
    public init?(argument: String) {
        guard let architecture = try? BackboneArchitecture(parsing: argument) else { return nil }
        self = architecture
    }

    public static var allValueStrings: [String] { names }

    public var defaultValueDescription: String { description }
}

/// Loss kinds as `--loss` values, listed by `--help`.
extension MarginKind.Name: ExpressibleByArgument {}
