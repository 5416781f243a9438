import RNNLabHDF5

/// Writes a run file's objects, each at its `RunFileLayout` path, and feeds each one it writes to the checksum.
struct RunFileWriter {
    let file: HDF5File
    private(set) var checksum = RunChecksum()

    init(file: HDF5File) { self.file = file }

    mutating func set(_ attribute: RunFileLayout.Attribute, text: String) throws {
        try file.setAttribute(attribute.name, text, on: attribute.object)
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, text: text) }
    }

    mutating func set(_ attribute: RunFileLayout.Attribute, integer: Int64) throws {
        try file.setAttribute(attribute.name, integer, on: attribute.object)
        if attribute.isChecksummed { checksum.add(attribute.checksumPath, integer: integer) }
    }

    func createGroup(_ path: String) throws {
        try file.createGroup(path)
    }

    mutating func write(text: String, at path: String) throws {
        try file.writeString(text, at: path)
        checksum.add(path, text: text)
    }

    /// An extendable one-dimensional column of `chunk` rows per chunk.
    mutating func write(column values: [Double], at path: String, chunk: Int) throws {
        try file.createExtendable(path, of: Double.self, chunk: chunk)
        try file.append(values, to: path)
        checksum.add(path, values)
    }

    mutating func write(scalar value: Double, at path: String) throws {
        try file.write([value], shape: [], at: path)
        checksum.add(path, [value], shape: [])
    }

    mutating func write(_ values: [Float], shape: [Int], at path: String) throws {
        try file.write(values, shape: shape, at: path)
        checksum.add(path, values, shape: shape)
    }
}
