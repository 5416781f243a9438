/// A dense, row-major block of scalars with a shape: the storage of every
/// parameter, gradient, activation and workspace in the engine.
///
/// `Tensor` is a reference type on purpose, like the flat buffers of llm.c:
/// layers keep their activations and workspaces in tensors allocated once and
/// reused for every batch, and hand them out without copying. Its memory is
/// owned by the tensor and freed when the last reference goes away.
///
/// `reshape(_:)` only reallocates when the new element count exceeds the
/// capacity, so a workspace sized for the largest batch is never reallocated
/// for a smaller one.
///
/// A view (`init(viewing:offset:shape:)`) shows a block of another tensor's
/// memory without copying it; it keeps that tensor alive, cannot grow, and is
/// valid until that tensor next grows.
public final class Tensor<T: Scalar> {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The number of elements, the product of `shape`.
    public private(set) var count: Int
    /// The number of elements the allocation can hold without growing.
    public private(set) var capacity: Int
    /// The first element. Valid for `count` elements until the next growing `reshape`.
    public private(set) var data: UnsafeMutablePointer<T>
    /// For a view: the tensor whose memory this shows.
    private let base: Tensor<T>?

    /// Creates a tensor of the given shape with every element set to `value`.
    public init(shape: [Int], repeating value: T = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        let count = shape.reduce(1, *)
        self.shape = shape
        self.count = count
        self.capacity = max(count, 1)
        self.data = .allocate(capacity: max(count, 1))
        self.base = nil
        data.initialize(repeating: value, count: max(count, 1))
    }

    /// A view of `base`'s elements offset ..< offset + (product of `shape`), shaped `shape`.
    public init(viewing base: Tensor<T>, offset: Int, shape: [Int]) {
        let count = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 } && offset >= 0 && offset + count <= base.count,
                     "a view of \(shape) at \(offset) does not fit in a tensor of \(base.count) elements")
        self.shape = shape
        self.count = count
        self.capacity = count
        self.data = base.data + offset
        self.base = base
    }

    /// Creates a tensor of the given shape holding `values` in row-major order.
    public convenience init(shape: [Int], values: [T]) {
        self.init(shape: shape)
        precondition(values.count == count, "Tensor of shape \(shape) needs \(count) values, got \(values.count)")
        values.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            data.update(from: base, count: count)
        }
    }

    deinit {
        if base == nil { data.deallocate() }
    }

    /// The elements as a buffer of `count` elements.
    @inlinable public var buffer: UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: data, count: count)
    }

    /// The elements copied into an array (for tests, storage and reports; not for hot loops).
    public var array: [T] { Array(buffer) }

    /// The element at a flat row-major index.
    @inlinable public subscript(index: Int) -> T {
        get { data[index] }
        set { data[index] = newValue }
    }

    /// Changes the shape. Grows the allocation when needed (contents are then
    /// zero); otherwise keeps the existing memory and its contents.
    public func reshape(_ newShape: [Int]) {
        precondition(newShape.allSatisfy { $0 >= 0 }, "Tensor shape \(newShape) has a negative extent")
        let newCount = newShape.reduce(1, *)
        if newCount > capacity {
            precondition(base == nil, "a view of another tensor cannot grow (\(shape) to \(newShape))")
            data.deallocate()
            data = .allocate(capacity: newCount)
            data.initialize(repeating: 0, count: newCount)
            capacity = newCount
        }
        shape = newShape
        count = newCount
    }

    /// Sets every element to zero.
    public func zero() {
        data.update(repeating: 0, count: count)
    }

    /// Sets every element to `value`.
    public func fill(with value: T) {
        data.update(repeating: value, count: count)
    }

    /// Takes the shape and contents of `other`.
    public func copy(from other: Tensor<T>) {
        reshape(other.shape)
        data.update(from: other.data, count: count)
    }

    /// A new tensor with the same shape and contents.
    public func clone() -> Tensor<T> {
        let result = Tensor(shape: shape)
        result.data.update(from: data, count: count)
        return result
    }

    /// The same values converted to another precision.
    public func converted<U: Scalar>(to type: U.Type) -> Tensor<U> {
        let result = Tensor<U>(shape: shape)
        for i in 0..<count { result.data[i] = U(data[i]) }
        return result
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = buffer.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(T.precisionName)>\(shape)[\(preview)\(count > 8 ? ", …" : "")]"
    }
}
