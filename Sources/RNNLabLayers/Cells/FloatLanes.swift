/// The cells' float32 fast paths work on `Float` pointers; the generic entry
/// points hand them over after checking `T.self == Float.self` (a constant once
/// specialised). Double keeps the straightforward loops (gradient checks).
@inline(__always)
func floats<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}

@inline(__always)
func floats<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}
