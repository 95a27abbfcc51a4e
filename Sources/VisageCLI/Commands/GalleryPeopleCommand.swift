import ArgumentParser
import Foundation
import VisageGallery

/// `visage gallery people`: the gallery's people, engines and, on request, its audit log.
struct GalleryPeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "List the people with their face counts, the templates per engine, the audit log.")

    @OptionGroup var file: GalleryFileOption

    @Flag(help: "Also print the audit log.")
    var audit = false

    func run() throws {
        let store = try file.open()
        let counts = try store.counts()
        print("\(counts.photos) photos (\(counts.faceless) without a face), \(counts.faces) faces, \(counts.assigned) "
            + "assigned to \(counts.people) people; engine \(try store.engine().stamp)")
        for engine in try store.templateCounts() {
            print("  templates of \(engine.engine): \(engine.count)\(engine.transformed > 0 ? " (\(engine.transformed) transformed)" : "")")
        }
        for person in try store.people() { print("\(person.name)\t\(person.faces)") }
        if audit {
            for entry in try store.auditLog() { print("\(entry.time)\t\(entry.action)\t\(entry.detail)") }
        }
    }
}
