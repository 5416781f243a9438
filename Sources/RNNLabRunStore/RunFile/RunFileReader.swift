import RNNLabHDF5

/// Reads a run file's objects, each at its `RunFileLayout` path, and feeds each one it reads to the checksum.
struct RunFileReader {
    let file: HDF5File
    private(set) var checksum = RunChecksum()

    init(file: HDF5File) { self.file = file }

    /// An attribute's text; an error if it is absent.
    mutating func text(_ attribute: RunFileLayout.Attribute) throws -> String {
        let value = try file.stringAttribute(attribute.name, on: attribute.object)
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, text: value) }
        return value
    }

    /// An attribute's text, nil (and not checksummed) if it is absent.
    mutating func optionalText(_ attribute: RunFileLayout.Attribute) -> String? {
        try? text(attribute)
    }

    /// An attribute's text, `fallback` (checksummed as such) if it is absent.
    mutating func text(_ attribute: RunFileLayout.Attribute, fallback: String) -> String {
        let value = (try? file.stringAttribute(attribute.name, on: attribute.object)) ?? fallback
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, text: value) }
        return value
    }

    /// An attribute's integer; an error if it is absent.
    mutating func integer(_ attribute: RunFileLayout.Attribute) throws -> Int64 {
        let value = try file.intAttribute(attribute.name, on: attribute.object)
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, integer: value) }
        return value
    }

    /// An attribute's integer, `fallback` (checksummed as such) if it is absent.
    mutating func integer(_ attribute: RunFileLayout.Attribute, fallback: Int64) -> Int64 {
        let value = (try? file.intAttribute(attribute.name, on: attribute.object)) ?? fallback
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, integer: value) }
        return value
    }

    /// Adds a value read elsewhere (the format version, read before the checksum starts) to the checksum.
    mutating func add(_ attribute: RunFileLayout.Attribute, integer: Int64) {
        checksum.add(attribute.checksumPath, integer: integer)
    }

    mutating func string(at path: String) throws -> String {
        let value = try file.readString(path)
        checksum.add(path, text: value)
        return value
    }

    mutating func doubles(at path: String) throws -> (values: [Double], shape: [Int]) {
        let (values, shape) = try file.read(path, as: Double.self)
        checksum.add(path, values, shape: shape)
        return (values, shape)
    }

    /// A one-dimensional column, checksummed by its length (as the writer does).
    mutating func column(at path: String) throws -> [Double] {
        let values = try file.read(path, as: Double.self).values
        checksum.add(path, values)
        return values
    }

    /// A column, empty (and checksummed as empty) if it cannot be read.
    mutating func columnOrEmpty(at path: String) -> [Double] {
        let values = (try? file.read(path, as: Double.self).values) ?? []
        checksum.add(path, values)
        return values
    }

    mutating func floats(at path: String) throws -> (values: [Float], shape: [Int]) {
        let (values, shape) = try file.read(path, as: Float.self)
        checksum.add(path, values, shape: shape)
        return (values, shape)
    }
}
