import Foundation
import Testing
@testable import Visage

#if canImport(Glibc)
import Glibc
#endif

@Suite("Run folder lock")
struct RunFolderLockTests {
    @Test("While another holder has the folder's lock a run is refused before it writes anything; after, it runs")
    func busyFolder() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = FaceRecognitionTrainingTests.config(folder)
        // A second open file description takes the lock as another process would.
        try FileManager.default.createDirectory(at: config.outputURL, withIntermediateDirectories: true)
        let other = open(config.outputURL.path + "/.lock", O_RDWR | O_CREAT, 0o644)
        #expect(other >= 0 && flock(other, LOCK_EX | LOCK_NB) == 0)
        let training = try FaceRecognitionTraining(recipe: FaceRecognitionTrainingTests.recipe, config: config, classes: 4)
        training.showsProgress = false
        let error = #expect(throws: TrainingError.self) { try training.run(on: FaceRecognitionTrainingTests.faces()) }
        #expect("\(error!)".contains("another process is writing a run into"))
        #expect(!FileManager.default.fileExists(atPath: training.recipeURL.path))
        close(other)
        _ = try training.run(on: FaceRecognitionTrainingTests.faces())
        #expect(FileManager.default.fileExists(atPath: training.recipeURL.path))
    }

    @Test("The lock is re-entrant within a process and free again once released")
    func reentrant() throws {
        let folder = try DataFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: RunFolderLock? = try RunFolderLock(folder)
        let second = try RunFolderLock(folder)
        first = nil
        let probe = open(folder.path + "/.lock", O_RDWR)
        defer { close(probe) }
        #expect(flock(probe, LOCK_EX | LOCK_NB) != 0)
        withExtendedLifetime((first, second)) {}
    }
}
