import Foundation
import Testing
import Visage
@testable import VisageGallery

/// A folder enroll killed with SIGKILL at a random moment, then run again.
@Suite("Gallery enroll killed")
struct GalleryKillTests {
    static let folderVariable = "VISAGE_GALLERY_KILL_TEST_FOLDER"
    static let backendVariable = "VISAGE_GALLERY_KILL_TEST_BACKEND"
    static let photoCount = 60

    @Test("kill -9 mid-folder keeps every committed photo whole; the re-run stores the rest, nothing doubled",
          arguments: GalleryBackend.available)
    func killAndResume(backend: GalleryBackend) async throws {
        let folder = try GalleryFixtures.temporaryFolder()
        defer { GalleryFixtures.remove(folder) }
        try GalleryFixtures.writePhotos(Self.photoCount, perPerson: 3, in: folder.appendingPathComponent("photos"))
        let store = try GalleryFixtures.gallery(in: folder, backend)
        setenv(Self.folderVariable, folder.path, 1)
        setenv(Self.backendVariable, backend.rawValue, 1)
        // The child enrolls the folder and, once 10 photos are in, kills itself after a random few milliseconds
        // while it goes on enrolling: the kill lands between transactions or inside one.
        await #expect(processExitsWith: .signal(SIGKILL)) {
            let environment = ProcessInfo.processInfo.environment
            let folder = URL(fileURLWithPath: environment[GalleryKillTests.folderVariable]!)
            let backend = GalleryBackend(rawValue: environment[GalleryKillTests.backendVariable]!)!
            let store = try GalleryStore.open(GalleryFixtures.location(in: folder, backend))
            var enroller = GalleryFixtures.enroller(store, pipeline: try GalleryFixtures.pipeline())
            enroller.chunkSize = 1
            var seen = 0
            _ = try enroller.enroll(PhotoList([folder.appendingPathComponent("photos").path]), person: { photo in
                seen += 1
                if seen == 10 {
                    let delay = UInt32.random(in: 1_000...40_000)
                    Thread.detachNewThread {
                        usleep(delay)
                        kill(getpid(), SIGKILL)
                    }
                }
                return GalleryFixtures.folderName(photo)
            }, showProgress: false)
            // Finishing the folder before the kill lands would leave nothing to check.
            usleep(5_000_000)
        }
        let before = try store.counts()
        #expect(before.photos >= 9 && before.photos < Self.photoCount, "the kill should land mid-folder")
        // Every stored photo is whole: one face, its person, one template.
        #expect(before.faces == before.photos && before.assigned == before.photos)
        #expect(try store.templateCounts().map(\.count) == [before.photos])
        if backend == .sqlite {
            #expect(try store.read { try $0.fetchOne("PRAGMA integrity_check") } == "ok")
        }

        let enroller = try GalleryFixtures.enroller(store, pipeline: GalleryFixtures.pipeline())
        let rerun = try enroller.enroll(PhotoList([folder.appendingPathComponent("photos").path]),
                                        person: GalleryFixtures.folderName, showProgress: false)
        #expect(rerun.stored == Self.photoCount - before.photos && rerun.duplicates.count == before.photos)
        let after = try store.counts()
        #expect(after.photos == Self.photoCount && after.faces == Self.photoCount && after.people == Self.photoCount / 3)
        #expect(try store.templateCounts().map(\.count) == [Self.photoCount])
        #expect(try store.auditLog().count { $0.action == "enroll" } == Self.photoCount)
    }
}
