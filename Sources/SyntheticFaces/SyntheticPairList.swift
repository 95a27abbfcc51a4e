/// Verification pairs in the LFW layout: folds of identity-disjoint people, each with the same number of
/// matched (same person) and mismatched (two people) pairs of image files.
///
/// The text form is LFW's `pairs.txt`: a first line `folds<TAB>perFold`, then for each fold `perFold` lines
/// `name<TAB>fileA<TAB>fileB` followed by `perFold` lines `nameA<TAB>fileA<TAB>nameB<TAB>fileB`.
public struct SyntheticPairList: Sendable, Equatable {
    /// Two image files, named as written under their identity folders.
    public struct Pair: Sendable, Equatable, Hashable {
        /// The first photo's identity folder.
        public var identityA: String
        /// The first photo's file name.
        public var fileA: String
        /// The second photo's identity folder (equal to `identityA` when matched).
        public var identityB: String
        /// The second photo's file name.
        public var fileB: String

        /// True for a pair of one person.
        public var matched: Bool { identityA == identityB }
    }

    /// Each fold's matched pairs then its mismatched pairs.
    public var folds: [[Pair]]
    /// Matched pairs per fold (and as many mismatched).
    public var perFold: Int

    /// The pair file text, ending in a newline.
    public var text: String {
        var lines = ["\(folds.count)\t\(perFold)"]
        for fold in folds {
            for pair in fold {
                lines.append(pair.matched ? "\(pair.identityA)\t\(pair.fileA)\t\(pair.fileB)"
                                          : "\(pair.identityA)\t\(pair.fileA)\t\(pair.identityB)\t\(pair.fileB)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Draws pairs over `identities` people with `images` photos each, named by `name` and `file`; people are
    /// shuffled and split into `folds` groups of nearly equal size, and no pair repeats within a fold.
    /// `perFold` defaults to the largest count up to 300 that every fold can supply.
    static func sample(identities: Int, images: Int, folds: Int, perFold requested: Int?, seed: UInt64,
                       name: (Int) -> String, file: (Int, Int) -> String) throws -> SyntheticPairList {
        try SyntheticFaceError.require(folds >= 1, "folds", folds, "must be at least 1")
        try SyntheticFaceError.require(images >= 2, "images per identity", images,
                                       "matched pairs need at least 2 images of each identity")
        try SyntheticFaceError.require(folds <= identities / 2, "identities", identities,
                                       "\(folds) identity-disjoint folds need at least 2 identities each")
        var random = SeededRandom(seed: SeededRandom.derive(seed, 0x9A1E5))
        var people = Array(0..<identities)
        for index in stride(from: people.count - 1, to: 0, by: -1) {
            people.swapAt(index, random.index(below: index + 1))
        }
        let groups = (0..<folds).map { fold in
            Array(people[(fold * identities / folds)..<((fold + 1) * identities / folds)])
        }
        let smallest = groups.map(\.count).min()!
        let matchedCapacity = smallest * images * (images - 1) / 2
        let mismatchedCapacity = smallest * (smallest - 1) / 2 * images * images
        let capacity = min(matchedCapacity, mismatchedCapacity)
        let perFold = requested ?? min(300, capacity)
        try SyntheticFaceError.require(perFold >= 1, "pairs per fold", perFold, "must be at least 1")
        try SyntheticFaceError.require(perFold <= capacity, "pairs per fold", perFold,
                                       "the smallest fold (\(smallest) identities × \(images) images) has only \(capacity) distinct pairs of each kind")
        var result: [[Pair]] = []
        for group in groups {
            var matched: [(Int, Int, Int)] = []
            var mismatched: [(Int, Int, Int, Int)] = []
            let groupMatched = group.count * images * (images - 1) / 2
            if perFold * 2 > groupMatched {
                // Near capacity: enumerate every candidate and take a random selection.
                var all: [(Int, Int, Int)] = []
                for person in group {
                    for a in 0..<images { for b in (a + 1)..<images { all.append((person, a, b)) } }
                }
                for index in 0..<perFold {
                    all.swapAt(index, index + random.index(below: all.count - index))
                }
                matched = Array(all[0..<perFold])
            } else {
                var seen = Set<[Int]>()
                while matched.count < perFold {
                    let person = group[random.index(below: group.count)]
                    let a = random.index(below: images), b = random.index(below: images)
                    guard a != b, seen.insert([person, min(a, b), max(a, b)]).inserted else { continue }
                    matched.append((person, min(a, b), max(a, b)))
                }
            }
            var seen = Set<[Int]>()
            // Mismatched capacity grows with the square of both counts, so rejection rarely repeats itself;
            // `perFold <= capacity` guarantees termination.
            while mismatched.count < perFold {
                let first = random.index(below: group.count), second = random.index(below: group.count)
                guard first != second else { continue }
                let (p, q) = first < second ? (group[first], group[second]) : (group[second], group[first])
                let a = random.index(below: images), b = random.index(below: images)
                guard seen.insert([p, a, q, b]).inserted else { continue }
                mismatched.append((p, a, q, b))
            }
            result.append(matched.map { Pair(identityA: name($0.0), fileA: file($0.0, $0.1),
                                             identityB: name($0.0), fileB: file($0.0, $0.2)) }
                          + mismatched.map { Pair(identityA: name($0.0), fileA: file($0.0, $0.1),
                                                  identityB: name($0.2), fileB: file($0.2, $0.3)) })
        }
        return SyntheticPairList(folds: result, perFold: perFold)
    }
}
