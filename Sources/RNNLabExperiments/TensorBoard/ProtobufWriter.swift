/// The few protocol-buffer encodings TensorBoard's `Event` and `Summary` messages need: varints,
/// fixed-width numbers and length-delimited fields (strings and embedded messages).
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func key(_ field: Int, wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An int64 field (wire type 0); negative values take ten bytes, as protobuf encodes them.
    mutating func int64(_ field: Int, _ value: Int64) {
        key(field, wireType: 0)
        varint(UInt64(bitPattern: value))
    }

    /// A double field (wire type 1, little-endian).
    mutating func double(_ field: Int, _ value: Double) {
        key(field, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A float field (wire type 5, little-endian).
    mutating func float(_ field: Int, _ value: Float) {
        key(field, wireType: 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length-delimited field (wire type 2): a string's UTF-8 or an embedded message's bytes.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }
}
