import CTorch
import Foundation

/// One process of a group that exchanges CPU tensors with PyTorch's distributed engine: c10d's
/// `ProcessGroupGloo`, its members meeting through a `FileStore` (a shared folder) or a `TCPStore` (served by
/// rank 0).
///
/// ```swift
/// let group = try ProcessGroup(rendezvous: .tcp(host: "10.0.0.1", port: 29500), rank: rank, worldSize: 2)
/// try group.allReduce(gradients)            // the sum of every member's, in place
/// ```
///
/// Every call is collective: each member must make the same calls, in the same order, with tensors of the same
/// shape. A member that dies breaks its connections and the others' current call fails at once; one that stops
/// answering makes it fail after ``timeout``. Either way the call throws a ``ProcessGroupError`` naming this
/// rank; the group is then unusable.
public final class ProcessGroup {
    /// Where the members meet.
    public enum Rendezvous: Sendable, CustomStringConvertible {
        /// A c10d `FileStore` at this path, in a folder every member can write (a shared folder across hosts).
        case file(URL)
        /// A c10d `TCPStore` that rank 0 serves at this address and port.
        case tcp(host: String, port: Int)

        public var description: String {
            switch self {
            case .file(let url): "the file store \(url.path)"
            case .tcp(let host, let port): "the TCP store \(host):\(port)"
            }
        }
    }

    /// How ``allReduce(_:_:)`` combines the members' tensors.
    public enum Reduction: Int32, Sendable {
        case sum = 0
        case max = 1
    }

    /// This process's place in the group, 0..<``worldSize``.
    public let rank: Int
    /// Number of processes in the group.
    public let worldSize: Int
    /// How long the meeting and each collective may wait for the other members, in seconds.
    public let timeout: Double
    /// Where the members met.
    public let rendezvous: Rendezvous

    private let pointer: ctorch_process_group

    /// Joins the group as `rank` of `worldSize`, waiting at most `timeout` seconds for every member to arrive.
    ///
    /// Gloo connects the members through the network interface `interface` (default: the environment's
    /// `GLOO_SOCKET_IFNAME`, as in PyTorch) or the local address `host`; with neither, through the local
    /// address that routes to a TCP store's master, or for a file store the address of this host's name.
    public init(
        rendezvous: Rendezvous, rank: Int, worldSize: Int, timeout: Double = 300,
        interface: String? = ProcessInfo.processInfo.environment["GLOO_SOCKET_IFNAME"], host: String? = nil
    ) throws(ProcessGroupError) {
        guard worldSize >= 1, (0..<worldSize).contains(rank) else {
            throw ProcessGroupError(rank: rank, worldSize: worldSize, operation: "joining",
                                    message: "rank \(rank) is not in 0..<\(worldSize)")
        }
        guard timeout > 0, timeout.isFinite else {
            throw ProcessGroupError(rank: rank, worldSize: worldSize, operation: "joining",
                                    message: "the timeout must be a positive number of seconds, got \(timeout)")
        }
        var error: UnsafeMutablePointer<CChar>?
        let started = Date()
        let made: ctorch_process_group?
        switch rendezvous {
        case .file(let url):
            made = ctorch_process_group_create(url.path, nil, 0, Int32(rank), Int32(worldSize), interface, host,
                                               Int64(timeout * 1000), &error)
        case .tcp(let address, let port):
            made = ctorch_process_group_create(nil, address, Int32(clamping: port), Int32(rank), Int32(worldSize),
                                               interface, host, Int64(timeout * 1000), &error)
        }
        guard let made else {
            throw ProcessGroupError(
                rank: rank, worldSize: worldSize, operation: "joining through \(rendezvous)",
                message: takeError(error).message, seconds: Date().timeIntervalSince(started), timeout: timeout)
        }
        pointer = made
        self.rank = rank
        self.worldSize = worldSize
        self.timeout = timeout
        self.rendezvous = rendezvous
    }

    deinit {
        ctorch_process_group_free(pointer)
    }

    /// Replaces `tensor` (contiguous) in place by the elementwise sum (or maximum) of every member's.
    public func allReduce(_ tensor: Tensor, _ reduction: Reduction = .sum) throws(ProcessGroupError) {
        try call("all-reduce (\(reduction)) of \(tensor.shape)") { error in
            ctorch_process_group_all_reduce(pointer, tensor.handle.pointer, reduction.rawValue, &error) == 0
        }
    }

    /// Replaces `tensor` (contiguous) in place by member `root`'s.
    public func broadcast(_ tensor: Tensor, from root: Int = 0) throws(ProcessGroupError) {
        try call("broadcast from rank \(root) of \(tensor.shape)") { error in
            ctorch_process_group_broadcast(pointer, tensor.handle.pointer, Int32(clamping: root), &error) == 0
        }
    }

    /// Every member's `tensor` (same shape and dtype on all), concatenated along dimension 0 in rank order.
    public func allGather(_ tensor: Tensor) throws(ProcessGroupError) -> Tensor {
        var gathered: ctorch_tensor?
        try call("all-gather of \(tensor.shape)") { error in
            gathered = ctorch_process_group_all_gather(pointer, tensor.handle.pointer, &error)
            return gathered != nil
        }
        return Tensor(taking: gathered!)
    }

    /// Returns once every member has called it.
    public func barrier() throws(ProcessGroupError) {
        try call("barrier") { error in ctorch_process_group_barrier(pointer, &error) == 0 }
    }

    /// Runs one shim call, turning its failure into a ``ProcessGroupError`` that says how long it waited.
    private func call(_ operation: String, _ body: (inout UnsafeMutablePointer<CChar>?) -> Bool)
        throws(ProcessGroupError)
    {
        var error: UnsafeMutablePointer<CChar>?
        let started = Date()
        guard body(&error) else {
            throw ProcessGroupError(rank: rank, worldSize: worldSize, operation: operation,
                                    message: takeError(error).message, seconds: Date().timeIntervalSince(started),
                                    timeout: timeout)
        }
    }
}
