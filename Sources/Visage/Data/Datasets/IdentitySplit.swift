import Foundation

/// An ImageFolder divided into train and test parts that share no identity, each relabelled 0..<k.
public struct IdentitySplit: Sendable {
    public let train: ImageFolder
    public let test: ImageFolder

    /// Splits the identities of `folder` at random: `round(testFraction × identities)` of them (at least one,
    /// and at least one left for training) go to `test`.
    ///
    /// The draw depends only on `seed` and the sorted identity names: a Fisher–Yates shuffle driven by
    /// ``SeededRandom`` with its own unbiased bounded draw, so the split is the same on every platform and Swift
    /// version.
    /// - Throws: ``DataError/invalidArgument(_:)`` when `testFraction` is not strictly between 0 and 1 or the
    ///   folder has fewer than two identities.
    public static func random(_ folder: ImageFolder, testFraction: Double, seed: UInt64) throws -> IdentitySplit {
        guard testFraction > 0, testFraction < 1 else {
            throw DataError.invalidArgument("the test fraction must be strictly between 0 and 1, got \(testFraction)")
        }
        let names = folder.classNames
        guard names.count >= 2 else {
            throw DataError.invalidArgument(
                "\(folder.root.path) has \(names.count) identity; an identity-disjoint split needs at least 2")
        }
        let testCount = min(max(Int((testFraction * Double(names.count)).rounded()), 1), names.count - 1)
        var generator = SeededRandom(seed: seed)
        var order = names
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(Self.uniform(below: UInt64(i + 1), using: &generator)))
        }
        return try IdentitySplit(folder, testIdentities: order.prefix(testCount))
    }

    /// Puts the identities named in `testIdentities` in `test` and every other identity in `train`.
    /// - Throws: ``DataError/invalidArgument(_:)`` naming test identities the folder does not have.
    public init(_ folder: ImageFolder, testIdentities: some Sequence<String>) throws {
        let testNames = Set(testIdentities)
        test = try folder.subset(identities: testNames)
        train = try folder.subset(identities: folder.classNames.filter { !testNames.contains($0) })
    }

    /// Trains on the people of `train` and tests on those of `test` (e.g. LFW's `peopleDevTrain.txt` and
    /// `peopleDevTest.txt`); identities in neither list are left out.
    /// - Throws: ``DataFileError`` naming the list and line of a person the folder does not have or one listed in
    ///   both.
    public init(_ folder: ImageFolder, train: PeopleList, test: PeopleList) throws {
        let testNames = Set(test.names)
        if let shared = train.people.first(where: { testNames.contains($0.name) }) {
            throw DataFileError(train.url, line: shared.line, "\(shared.name) is also in the test list \(test.url.path)")
        }
        try Self.checkPresent(train.people, of: train, in: folder)
        try Self.checkPresent(test.people, of: test, in: folder)
        self.train = try folder.subset(identities: train.names)
        self.test = try folder.subset(identities: testNames)
    }

    /// Tests on fold `testFold` (0-based) of a folded people list such as LFW's `people.txt` and trains on the
    /// people of every other fold.
    /// - Throws: ``DataError/invalidArgument(_:)`` for a fold out of range, ``DataFileError`` naming the line of a
    ///   person the folder does not have.
    public init(_ folder: ImageFolder, people: PeopleList, testFold: Int) throws {
        guard people.folds.indices.contains(testFold) else {
            throw DataError.invalidArgument(
                "\(people.url.path) has folds 0..<\(people.folds.count), not \(testFold)")
        }
        try Self.checkPresent(people.people, of: people, in: folder)
        let testPeople = people.folds[testFold]
        let trainPeople = people.folds.enumerated().filter { $0.offset != testFold }.flatMap(\.element)
        self.train = try folder.subset(identities: trainPeople.map(\.name))
        self.test = try folder.subset(identities: testPeople.map(\.name))
    }

    private static func checkPresent(_ people: [PeopleList.Person], of list: PeopleList, in folder: ImageFolder) throws {
        let known = Set(folder.classNames)
        if let absent = people.first(where: { !known.contains($0.name) }) {
            throw DataFileError(list.url, line: absent.line, "\(absent.name) has no images in \(folder.root.path)")
        }
    }

    /// A uniform integer in 0..<bound by rejection, so no value is favoured.
    static func uniform(below bound: UInt64, using generator: inout SeededRandom) -> UInt64 {
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = generator.next()
            if value < limit { return value % bound }
        }
    }
}
