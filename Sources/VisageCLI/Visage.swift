import ArgumentParser
import Visage

@main
struct VisageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "visage", abstract: "Face recognition toolkit.")
}
