import ArgumentParser
import Foundation
import Torch
import Visage

/// How many processes train together and how they meet: `--nproc N` on this host, or one rank of a group
/// across hosts (`--rank`, `--world-size`, and `--master` or `--rendezvous`).
struct DistributedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Train with N processes on this host (data parallel; the batch is shared among them).",
                               discussion: "Starts N ranks of this command meeting through a file store in the "
                                   + "output folder, the cores divided among them unless VISAGE_THREADS is set."))
    var nproc = 1

    @Option(help: "This process's rank, 0..<--world-size (training across hosts).")
    var rank: Int?

    @Option(help: "Number of ranks training together (training across hosts); it must divide the batch size.")
    var worldSize: Int?

    @Option(help: ArgumentHelp("ADDR:PORT of rank 0's TCP store (training across hosts; rank 0 serves it).",
                               discussion: "Gloo connects through the interface GLOO_SOCKET_IFNAME names, else "
                                   + "--gloo-host, else the local address that routes to ADDR."))
    var master: String?

    @Option(help: "A folder every rank can write (shared across hosts) where the ranks meet instead of --master.")
    var rendezvous: String?

    @Option(help: "The local address Gloo connects through (default: see --master).")
    var glooHost: String?

    @Option(help: ArgumentHelp("Seconds a rank waits for the others to arrive or answer before it stops with an error.",
                               discussion: "A rank that dies stops the others at once; one that hangs, after this "
                                   + "long. Rank 0 validates while the others wait: keep it above a validation's time."))
    var timeout: Double = 300

    @Option(help: "Most megabytes of gradients all-reduced in one call (arcface_torch's bucket_cap_mb).")
    var bucketMb: Double = 16

    func validate() throws {
        guard nproc >= 1 else { throw ValidationError("--nproc must be at least 1, got \(nproc)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be positive, got \(timeout)") }
        guard bucketMb > 0, bucketMb.isFinite else { throw ValidationError("--bucket-mb must be positive, got \(bucketMb)") }
        let joined = rank != nil || worldSize != nil || master != nil || rendezvous != nil
        if nproc > 1 && joined {
            throw ValidationError("--nproc starts the ranks itself: give it without --rank, --world-size, --master "
                + "or --rendezvous")
        }
        guard joined else { return }
        guard let rank, let worldSize else {
            throw ValidationError("a rank of a group needs both --rank and --world-size")
        }
        guard worldSize >= 1, (0..<worldSize).contains(rank) else {
            throw ValidationError("--rank \(rank) is not in 0..<--world-size \(worldSize)")
        }
        guard (master == nil) != (rendezvous == nil) else {
            throw ValidationError("a rank of a group meets the others through --master ADDR:PORT or --rendezvous "
                + "FOLDER: give one of them")
        }
        if let master { _ = try Self.address(master) }
    }

    /// Whether this process is one rank of a group (as opposed to one process alone, or the `--nproc` launcher).
    var isRank: Bool { worldSize != nil }

    /// `ADDR:PORT` split; throws for anything else.
    static func address(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port), colon != text.startIndex else {
            throw ValidationError("--master must be ADDR:PORT with a port in 1...65535, got \"\(text)\"")
        }
        return (String(text[..<colon]), port)
    }

    /// Joins the group this process is a rank of, nil for a process alone.
    func dataParallel() throws -> DataParallel? {
        guard let rank, let worldSize else { return nil }
        let meeting: ProcessGroup.Rendezvous
        if let rendezvous {
            try FileManager.default.createDirectory(atPath: rendezvous, withIntermediateDirectories: true)
            meeting = .file(URL(fileURLWithPath: rendezvous).appendingPathComponent("store"))
        } else {
            let (host, port) = try Self.address(master!)
            meeting = .tcp(host: host, port: port)
        }
        let group = try ProcessGroup(rendezvous: meeting, rank: rank, worldSize: worldSize, timeout: timeout,
                                     host: glooHost)
        return DataParallel(group: group, bucketCapacity: Int(bucketMb * 1_048_576))
    }
}
