import Foundation
import Testing
import Torch

/// Two-member groups on a FileStore: this test process is rank 0, an exit-test child process rank 1.
@Suite("Process group (c10d on Gloo)")
struct ProcessGroupTests {
    static let storeVariable = "VISAGE_PROCESS_GROUP_TEST_STORE"

    /// A fresh store path for one test, announced to the child through the environment.
    static func storePath() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("visage-process-group-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("store")
        setenv(storeVariable, store.path, 1)
        return store
    }

    /// The child's end: joins as rank 1 of 2 on the store the parent named.
    static func joinAsRankOne(timeout: Double) throws -> ProcessGroup {
        let store = URL(fileURLWithPath: ProcessInfo.processInfo.environment[storeVariable]!)
        return try ProcessGroup(rendezvous: .file(store), rank: 1, worldSize: 2, timeout: timeout, host: "127.0.0.1")
    }

    /// Runs `body` on a thread of its own, so the blocking collectives leave the test's executor free to run
    /// the child process.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test("sum and max all-reduce, broadcast, all-gather and barrier agree across two processes")
    func collectives() async throws {
        let store = try Self.storePath()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        async let child = #expect(processExitsWith: .success) {
            let group = try ProcessGroupTests.joinAsRankOne(timeout: 20)
            let sum = try Tensor([Float](arrayLiteral: 10, 20, 30), shape: [3])
            try group.allReduce(sum)
            let maximum = try Tensor([Float](arrayLiteral: 5, -1, 7), shape: [3])
            try group.allReduce(maximum, .max)
            let broadcast = try Tensor([Float](arrayLiteral: 0, 0), shape: [2])
            try group.broadcast(broadcast, from: 0)
            let gathered = try group.allGather(try Tensor([Float](arrayLiteral: 3, 4), shape: [1, 2]))
            try group.barrier()
            guard sum.array(of: Float.self) == [11, 22, 33], maximum.array(of: Float.self) == [5, 2, 7],
                  broadcast.array(of: Float.self) == [8, 9], gathered.shape == [2, 2],
                  gathered.array(of: Float.self) == [1, 2, 3, 4] else { exit(3) }
        }
        let (sum, maximum, broadcast, gathered) = try await Self.onThread {
            let group = try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 2, timeout: 20,
                                         host: "127.0.0.1")
            let sum = try Tensor([Float](arrayLiteral: 1, 2, 3), shape: [3])
            try group.allReduce(sum)
            let maximum = try Tensor([Float](arrayLiteral: 1, 2, 3), shape: [3])
            try group.allReduce(maximum, .max)
            let broadcast = try Tensor([Float](arrayLiteral: 8, 9), shape: [2])
            try group.broadcast(broadcast, from: 0)
            let gathered = try group.allGather(try Tensor([Float](arrayLiteral: 1, 2), shape: [1, 2]))
            try group.barrier()
            return (sum.array(of: Float.self), maximum.array(of: Float.self), broadcast.array(of: Float.self),
                    gathered.array(of: Float.self))
        }
        _ = await child
        #expect(sum == [11, 22, 33])
        #expect(maximum == [5, 2, 7])
        #expect(broadcast == [8, 9])
        #expect(gathered == [1, 2, 3, 4])
    }

    @Test("a member that exits makes the other's next collective throw at once, naming its rank")
    func deadMember() async throws {
        let store = try Self.storePath()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        async let child = #expect(processExitsWith: .success) {
            let group = try ProcessGroupTests.joinAsRankOne(timeout: 30)
            try group.barrier()
            exit(0)
        }
        let (error, seconds) = try await Self.onThread { () throws -> (String?, Double) in
            let group = try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 2, timeout: 30,
                                         host: "127.0.0.1")
            try group.barrier()
            let started = Date()
            do {
                // The first may still meet the child's socket open; the dead connection fails one of these.
                for _ in 0..<50 {
                    try group.allReduce(Tensor.ones([4]))
                    usleep(20_000)
                }
                return (nil, Date().timeIntervalSince(started))
            } catch {
                return ("\(error)", Date().timeIntervalSince(started))
            }
        }
        _ = await child
        let message = try #require(error)
        #expect(message.hasPrefix("rank 0 of 2: all-reduce (sum) of [4] failed"), "\(message)")
        #expect(seconds < 10, "the broken connection should fail the call long before the 30 s timeout")
    }

    @Test("a member that stops answering makes the other's collective throw after the timeout, not hang")
    func hungMember() async throws {
        let store = try Self.storePath()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        async let child = #expect(processExitsWith: .success) {
            let group = try ProcessGroupTests.joinAsRankOne(timeout: 2)
            try group.barrier()
            sleep(3)
            withExtendedLifetime(group) {}
        }
        let (error, seconds) = try await Self.onThread { () throws -> (String?, Double) in
            let group = try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 2, timeout: 2,
                                         host: "127.0.0.1")
            try group.barrier()
            let started = Date()
            do {
                try group.allReduce(Tensor.ones([4]))
                return (nil, Date().timeIntervalSince(started))
            } catch {
                return ("\(error)", Date().timeIntervalSince(started))
            }
        }
        _ = await child
        let message = try #require(error)
        #expect(message.contains("rank 0 of 2"), "\(message)")
        #expect(message.contains("did not answer within the 2 s timeout"), "\(message)")
        #expect(seconds >= 1.9 && seconds < 4.5, "failed after \(seconds) s with a 2 s timeout")
    }

    @Test("a group of one reduces to itself; a rank outside the group or a bad timeout is refused")
    func singleMemberAndChecks() throws {
        let store = try Self.storePath()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        let group = try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 1, timeout: 5, host: "127.0.0.1")
        let tensor = try Tensor([Float](arrayLiteral: 1, 2), shape: [2])
        try group.allReduce(tensor)
        #expect(tensor.array(of: Float.self) == [1, 2])
        #expect(try group.allGather(tensor).array(of: Float.self) == [1, 2])
        #expect(throws: ProcessGroupError.self) {
            try ProcessGroup(rendezvous: .file(store), rank: 2, worldSize: 2)
        }
        #expect(throws: ProcessGroupError.self) {
            try ProcessGroup(rendezvous: .file(store), rank: 0, worldSize: 1, timeout: 0)
        }
        let strided = Tensor.ones([2, 3]).transposed()
        #expect(throws: ProcessGroupError.self) { try group.allReduce(strided) }
    }
}
