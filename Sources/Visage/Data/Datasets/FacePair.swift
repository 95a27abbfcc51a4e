import Foundation

/// How a pair file names one image of an identity.
public enum PairImageReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// LFW's 1-based image number: 4 of `Abel_Pacheco` is `Abel_Pacheco/Abel_Pacheco_0004.<ext>`.
    case number(Int)
    /// A file name inside the identity's folder, as written (`5.png`).
    case file(String)

    public var description: String {
        switch self {
        case .number(let number): String(number)
        case .file(let name): name
        }
    }
}

/// One side of a pair: an identity and which of its images.
public struct PairImage: Sendable, Equatable, Hashable {
    public var identity: String
    public var reference: PairImageReference

    public init(identity: String, reference: PairImageReference) {
        self.identity = identity
        self.reference = reference
    }
}

/// A verification pair read from a pair file: two images and whether they show the same person.
public struct FacePair: Sendable, Equatable {
    public var first: PairImage
    public var second: PairImage
    /// True for a matched (same identity) pair.
    public var isMatch: Bool
    /// The 0-based fold the pair belongs to (always 0 in single-split files).
    public var fold: Int
    /// The 1-based line of the pair in its file.
    public var line: Int
}

/// A ``FacePair`` whose images have been found on disk.
public struct ResolvedPair: Sendable, Equatable {
    public var first: URL
    public var second: URL
    public var isMatch: Bool
    public var fold: Int
    /// The 1-based line of the pair in its file.
    public var line: Int
}
