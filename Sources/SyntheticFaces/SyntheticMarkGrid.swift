/// An identity's freckles and moles binned into square cells of the frontal face, so shading a pixel only
/// visits the few marks near it.
struct SyntheticMarkGrid: Sendable {
    static let cell: Float = 6
    static let originX: Float = -48, originY: Float = -42
    static let columns = 16, rows = 18

    /// Mark i is (x, y, radius, darkness).
    let marks: [SIMD4<Float>]
    /// Cell c lists `members[starts[c]..<starts[c + 1]]`.
    let starts: [Int32]
    let members: [Int32]

    init(_ marks: [SyntheticIdentity.Mark]) {
        self.marks = marks.map { SIMD4(Float($0.x), Float($0.y), Float($0.radius), Float($0.darkness)) }
        var lists = [[Int32]](repeating: [], count: Self.columns * Self.rows)
        let reach: Float = 1.5   // radius plus the widest anti-aliasing edge
        for (index, mark) in self.marks.enumerated() {
            let x0 = Self.column(mark.x - mark.z - reach), x1 = Self.column(mark.x + mark.z + reach)
            let y0 = Self.row(mark.y - mark.z - reach), y1 = Self.row(mark.y + mark.z + reach)
            guard x0 <= x1, y0 <= y1 else { continue }
            for row in y0...y1 {
                for column in x0...x1 { lists[row * Self.columns + column].append(Int32(index)) }
            }
        }
        var starts: [Int32] = [0]
        var members: [Int32] = []
        for list in lists {
            members += list
            starts.append(Int32(members.count))
        }
        self.starts = starts
        self.members = members
    }

    /// The cell index of point (x, y), or nil outside the grid.
    @inline(__always)
    func cell(x: Float, y: Float) -> Int? {
        let column = Int(PortableMath.floor((x - Self.originX) / Self.cell))
        let row = Int(PortableMath.floor((y - Self.originY) / Self.cell))
        guard column >= 0, column < Self.columns, row >= 0, row < Self.rows else { return nil }
        return row * Self.columns + column
    }

    private static func column(_ x: Float) -> Int {
        min(max(Int(((x - originX) / cell).rounded(.down)), 0), columns - 1)
    }

    private static func row(_ y: Float) -> Int {
        min(max(Int(((y - originY) / cell).rounded(.down)), 0), rows - 1)
    }
}
