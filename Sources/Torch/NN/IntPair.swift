/// A pair of integers for 2-D layer settings (kernel size, stride, padding, dilation), written as one integer
/// for both dimensions (`kernelSize: 3`) or as `[height, width]` (`kernelSize: [1, 7]`).
public struct IntPair: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// The value along the height (first spatial) dimension.
    public var height: Int
    /// The value along the width (second spatial) dimension.
    public var width: Int

    /// A pair with the given height and width values.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same value for both dimensions.
    public init(integerLiteral value: Int) {
        self.init(value, value)
    }

    /// `[height, width]`; a list of any other length is a programmer error.
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2, "a 2-D layer setting needs [height, width], got \(elements)")
        self.init(elements[0], elements[1])
    }

    /// `[height, width]`, as ATen operators take it.
    public var array: [Int] { [height, width] }

    /// "3" when both values are equal, "[1, 7]" otherwise.
    public var description: String { height == width ? "\(height)" : "[\(height), \(width)]" }
}
