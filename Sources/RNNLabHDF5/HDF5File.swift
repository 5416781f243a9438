import CHDF5
import Foundation

// The only file that calls the HDF5 C API. Everything is written with object
// time tracking off, so the same content always gives the same bytes.

/// An HDF5 operation that failed, with the file and object it concerned.
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
    /// The file could not be created (missing directory, permissions).
    case cannotCreate(path: String)
    /// The file could not be opened: missing, not HDF5, or truncated.
    case cannotOpen(path: String, reason: String)
    /// No group, dataset or attribute at that path.
    case notFound(file: String, object: String)
    /// The object exists but is not what was asked for (type, shape, value count).
    case mismatch(file: String, object: String, reason: String)
    /// A library call failed.
    case failed(call: String, file: String, object: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path): "cannot create HDF5 file \(path)"
        case .cannotOpen(let path, let reason): "cannot open HDF5 file \(path): \(reason)"
        case .notFound(let file, let object): "\(file): no object \(object)"
        case .mismatch(let file, let object, let reason): "\(file): \(object): \(reason)"
        case .failed(let call, let file, let object): "\(file): \(object): \(call) failed"
        }
    }
}

/// A numeric element type that HDF5 stores natively.
public protocol HDF5Scalar {
    /// The HDF5 memory type of this Swift type.
    static var hdf5Type: hid_t { get }
    static var hdf5Zero: Self { get }
}

extension Float: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_float() }
    public static var hdf5Zero: Float { 0 }
}
extension Double: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_double() }
    public static var hdf5Zero: Double { 0 }
}
extension Int32: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_int32() }
    public static var hdf5Zero: Int32 { 0 }
}
extension Int64: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_int64() }
    public static var hdf5Zero: Int64 { 0 }
}
extension UInt8: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_uint8() }
    public static var hdf5Zero: UInt8 { 0 }
}
extension UInt64: HDF5Scalar {
    public static var hdf5Type: hid_t { chdf5_t_native_uint64() }
    public static var hdf5Zero: UInt64 { 0 }
}

/// The HDF5 library in use.
public enum HDF5Library {
    /// The library version, e.g. "1.10.8".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }

    /// Error stacks are reported through `HDF5Error`, not printed.
    fileprivate static let silenced: Bool = {
        chdf5_silence_errors()
        return true
    }()
}

/// An open HDF5 file: groups, numeric and string datasets, extendable 1-D
/// datasets and attributes, addressed by absolute paths ("/metrics/step/loss").
public final class HDF5File {
    /// The file's path on disk.
    public let path: String
    private var id: hid_t

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    deinit { close() }

    /// Creates (or truncates) a file.
    public static func create(at path: String) throws -> HDF5File {
        _ = HDF5Library.silenced
        let id = H5Fcreate(path, chdf5_f_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        guard id >= 0 else { throw HDF5Error.cannotCreate(path: path) }
        return HDF5File(path: path, id: id)
    }

    /// Creates a file that lives in memory only (HDF5's core driver without a
    /// backing store): nothing touches the disk until the caller writes
    /// `image()` itself, so I/O errors such as a full disk are the caller's to
    /// report and never leave the library with a half-written file.
    public static func createInMemory(name: String) throws -> HDF5File {
        _ = HDF5Library.silenced
        let access = H5Pcreate(chdf5_p_file_access())
        guard access >= 0 else { throw HDF5Error.failed(call: "H5Pcreate", file: name, object: "/") }
        defer { H5Pclose(access) }
        guard H5Pset_fapl_core(access, 1 << 20, false) >= 0 else { throw HDF5Error.failed(call: "H5Pset_fapl_core", file: name, object: "/") }
        let id = H5Fcreate(name, chdf5_f_acc_trunc(), chdf5_p_default(), access)
        guard id >= 0 else { throw HDF5Error.cannotCreate(path: name) }
        return HDF5File(path: name, id: id)
    }

    /// The file's bytes, exactly as they would be on disk.
    public func image() throws -> [UInt8] {
        try flush()
        let size = H5Fget_file_image(id, nil, 0)
        guard size > 0 else { throw HDF5Error.failed(call: "H5Fget_file_image", file: path, object: "/") }
        var bytes = [UInt8](repeating: 0, count: size)
        let copied = bytes.withUnsafeMutableBytes { H5Fget_file_image(id, $0.baseAddress, size) }
        guard copied == size else { throw HDF5Error.failed(call: "H5Fget_file_image", file: path, object: "/") }
        return bytes
    }

    /// Opens an existing file, read-only unless `writable`.
    public static func open(at path: String, writable: Bool = false) throws -> HDF5File {
        _ = HDF5Library.silenced
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error.cannotOpen(path: path, reason: "no such file")
        }
        guard H5Fis_hdf5(path) > 0 else {
            throw HDF5Error.cannotOpen(path: path, reason: "not an HDF5 file, or truncated")
        }
        let id = H5Fopen(path, writable ? chdf5_f_acc_rdwr() : chdf5_f_acc_rdonly(), chdf5_p_default())
        guard id >= 0 else { throw HDF5Error.cannotOpen(path: path, reason: "the library could not read it (corrupt?)") }
        return HDF5File(path: path, id: id)
    }

    /// Closes the file; later calls fail. Closing twice is harmless.
    public func close() {
        if id >= 0 { H5Fclose(id) }
        id = -1
    }

    /// Writes buffered data to disk.
    public func flush() throws {
        try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush", "/")
    }

    // MARK: Groups

    /// Whether a group, dataset or (named) link exists at `objectPath`.
    public func exists(_ objectPath: String) -> Bool {
        var prefix = ""
        for component in components(objectPath) {
            prefix += "/" + component
            guard H5Lexists(id, prefix, chdf5_p_default()) > 0 else { return false }
        }
        return true
    }

    /// Creates a group and any missing parents; does nothing when it exists.
    public func createGroup(_ groupPath: String) throws {
        var prefix = ""
        for component in components(groupPath) {
            prefix += "/" + component
            if H5Lexists(id, prefix, chdf5_p_default()) > 0 { continue }
            let plist = try untrackedPropertyList(chdf5_p_group_create(), prefix)
            defer { H5Pclose(plist) }
            let group = H5Gcreate2(id, prefix, chdf5_p_default(), plist, chdf5_p_default())
            guard group >= 0 else { throw HDF5Error.failed(call: "H5Gcreate2", file: path, object: prefix) }
            H5Gclose(group)
        }
    }

    /// The names of a group's members, sorted.
    public func children(of groupPath: String) throws -> [String] {
        guard groupPath == "/" || exists(groupPath) else { throw HDF5Error.notFound(file: path, object: groupPath) }
        let group = H5Gopen2(id, groupPath, chdf5_p_default())
        guard group >= 0 else { throw HDF5Error.mismatch(file: path, object: groupPath, reason: "not a group") }
        defer { H5Gclose(group) }
        var info = H5G_info_t()
        try check(H5Gget_info(group, &info), "H5Gget_info", groupPath)
        var names: [String] = []
        for index in 0..<info.nlinks {
            let size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
            guard size >= 0 else { throw HDF5Error.failed(call: "H5Lget_name_by_idx", file: path, object: groupPath) }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_p_default())
            names.append(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names.sorted()
    }

    /// Deletes the link at `objectPath` if there is one.
    public func remove(_ objectPath: String) throws {
        guard exists(objectPath) else { return }
        try check(H5Ldelete(id, objectPath, chdf5_p_default()), "H5Ldelete", objectPath)
    }

    // MARK: Numeric datasets

    /// Writes a contiguous dataset of the given shape ([] for a scalar),
    /// replacing any object at that path and creating parent groups.
    public func write<T: HDF5Scalar>(_ values: [T], shape: [Int], at datasetPath: String) throws {
        let count = shape.reduce(1, *)
        guard values.count == count else {
            throw HDF5Error.mismatch(file: path, object: datasetPath, reason: "\(values.count) values for shape \(shape)")
        }
        let space = try dataspace(shape, datasetPath)
        defer { H5Sclose(space) }
        let dataset = try createDataset(datasetPath, type: T.hdf5Type, space: space)
        defer { H5Dclose(dataset) }
        let status = values.withUnsafeBufferPointer {
            H5Dwrite(dataset, T.hdf5Type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress)
        }
        try check(status, "H5Dwrite", datasetPath)
    }

    /// Reads a numeric dataset, converting to `T`; returns the values and the shape.
    public func read<T: HDF5Scalar>(_ datasetPath: String, as type: T.Type) throws -> (values: [T], shape: [Int]) {
        let dataset = try openDataset(datasetPath)
        defer { H5Dclose(dataset) }
        let fileType = H5Dget_type(dataset)
        defer { H5Tclose(fileType) }
        let typeClass = H5Tget_class(fileType)
        guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
            throw HDF5Error.mismatch(file: path, object: datasetPath, reason: "not a numeric dataset")
        }
        let shape = try datasetShape(dataset, datasetPath)
        var values = [T](repeating: T.hdf5Zero, count: shape.reduce(1, *))
        let status = values.withUnsafeMutableBufferPointer {
            H5Dread(dataset, T.hdf5Type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress)
        }
        try check(status, "H5Dread", datasetPath)
        return (values, shape)
    }

    /// The shape of a dataset.
    public func shape(of datasetPath: String) throws -> [Int] {
        let dataset = try openDataset(datasetPath)
        defer { H5Dclose(dataset) }
        return try datasetShape(dataset, datasetPath)
    }

    // MARK: Extendable datasets

    /// Creates an empty 1-D dataset that `append` extends (chunked, unlimited).
    public func createExtendable<T: HDF5Scalar>(_ datasetPath: String, of type: T.Type, chunk: Int = 1024) throws {
        var current: hsize_t = 0, maximum = chdf5_s_unlimited()
        let space = H5Screate_simple(1, &current, &maximum)
        guard space >= 0 else { throw HDF5Error.failed(call: "H5Screate_simple", file: path, object: datasetPath) }
        defer { H5Sclose(space) }
        var chunkSize = hsize_t(max(chunk, 1))
        let dataset = try createDataset(datasetPath, type: T.hdf5Type, space: space) { plist in
            H5Pset_chunk(plist, 1, &chunkSize)
        }
        H5Dclose(dataset)
    }

    /// Appends values to an extendable 1-D dataset.
    public func append<T: HDF5Scalar>(_ values: [T], to datasetPath: String) throws {
        guard !values.isEmpty else { return }
        let dataset = try openDataset(datasetPath)
        defer { H5Dclose(dataset) }
        guard let old = try datasetShape(dataset, datasetPath).first else {
            throw HDF5Error.mismatch(file: path, object: datasetPath, reason: "not a 1-D dataset")
        }
        var newSize = hsize_t(old + values.count)
        try check(H5Dset_extent(dataset, &newSize), "H5Dset_extent", datasetPath)
        let fileSpace = H5Dget_space(dataset)
        defer { H5Sclose(fileSpace) }
        var start = hsize_t(old), count = hsize_t(values.count)
        try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), "H5Sselect_hyperslab", datasetPath)
        let memorySpace = H5Screate_simple(1, &count, nil)
        defer { H5Sclose(memorySpace) }
        let status = values.withUnsafeBufferPointer {
            H5Dwrite(dataset, T.hdf5Type, memorySpace, fileSpace, chdf5_p_default(), $0.baseAddress)
        }
        try check(status, "H5Dwrite", datasetPath)
    }

    // MARK: String datasets

    /// Writes a scalar UTF-8 string dataset (for example a JSON document).
    public func writeString(_ value: String, at datasetPath: String) throws {
        let bytes = Array(value.utf8)
        let type = try stringType(length: bytes.count, datasetPath)
        defer { H5Tclose(type) }
        let space = try dataspace([], datasetPath)
        defer { H5Sclose(space) }
        let dataset = try createDataset(datasetPath, type: type, space: space)
        defer { H5Dclose(dataset) }
        let padded = bytes.isEmpty ? [0] : bytes
        try check(H5Dwrite(dataset, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), padded), "H5Dwrite", datasetPath)
    }

    /// Reads a scalar string dataset.
    public func readString(_ datasetPath: String) throws -> String {
        let dataset = try openDataset(datasetPath)
        defer { H5Dclose(dataset) }
        let fileType = H5Dget_type(dataset)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING, H5Tis_variable_str(fileType) == 0 else {
            throw HDF5Error.mismatch(file: path, object: datasetPath, reason: "not a fixed-length string dataset")
        }
        var buffer = [UInt8](repeating: 0, count: H5Tget_size(fileType))
        try check(H5Dread(dataset, fileType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), &buffer), "H5Dread", datasetPath)
        return decodeString(buffer[...])
    }

    // MARK: Attributes

    /// Sets a string attribute on a group or dataset, replacing an existing one.
    public func setAttribute(_ name: String, _ value: String, on objectPath: String) throws {
        let bytes = Array(value.utf8)
        let type = try stringType(length: bytes.count, objectPath)
        defer { H5Tclose(type) }
        try writeAttribute(name, on: objectPath, type: type, shape: []) { attribute in
            H5Awrite(attribute, type, bytes.isEmpty ? [0] : bytes)
        }
    }

    /// Sets a 1-D string-array attribute.
    public func setAttribute(_ name: String, strings: [String], on objectPath: String) throws {
        let encoded = strings.map { Array($0.utf8) }
        let width = max(encoded.map(\.count).max() ?? 1, 1)
        let type = try stringType(length: width, objectPath)
        defer { H5Tclose(type) }
        var packed = [UInt8](repeating: 0, count: width * max(strings.count, 1))
        for (i, bytes) in encoded.enumerated() { packed.replaceSubrange((i * width)..<(i * width + bytes.count), with: bytes) }
        try writeAttribute(name, on: objectPath, type: type, shape: [strings.count]) { attribute in
            H5Awrite(attribute, type, packed)
        }
    }

    /// Sets a floating-point attribute.
    public func setAttribute(_ name: String, _ value: Double, on objectPath: String) throws {
        var v = value
        try writeAttribute(name, on: objectPath, type: Double.hdf5Type, shape: []) { H5Awrite($0, Double.hdf5Type, &v) }
    }

    /// Sets an integer attribute.
    public func setAttribute(_ name: String, _ value: Int64, on objectPath: String) throws {
        var v = value
        try writeAttribute(name, on: objectPath, type: Int64.hdf5Type, shape: []) { H5Awrite($0, Int64.hdf5Type, &v) }
    }

    /// Reads a string attribute.
    public func stringAttribute(_ name: String, on objectPath: String) throws -> String {
        try readAttribute(name, on: objectPath) { attribute, type, count in
            // One value only: reading an array attribute into one value's buffer would overrun it.
            guard count == 1, H5Tget_class(type) == H5T_STRING, H5Tis_variable_str(type) == 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: H5Tget_size(type))
            guard H5Aread(attribute, type, &buffer) >= 0 else { return nil }
            return decodeString(buffer[...])
        }
    }

    /// Reads a 1-D string-array attribute.
    public func stringsAttribute(_ name: String, on objectPath: String) throws -> [String] {
        try readAttribute(name, on: objectPath) { attribute, type, count in
            guard H5Tget_class(type) == H5T_STRING, H5Tis_variable_str(type) == 0 else { return nil }
            let width = H5Tget_size(type)
            var buffer = [UInt8](repeating: 0, count: width * max(count, 1))
            guard H5Aread(attribute, type, &buffer) >= 0 else { return nil }
            return (0..<count).map { decodeString(buffer[($0 * width)..<(($0 + 1) * width)]) }
        }
    }

    /// Reads a numeric attribute as Double.
    public func doubleAttribute(_ name: String, on objectPath: String) throws -> Double {
        try readAttribute(name, on: objectPath) { attribute, type, count in
            guard count == 1, H5Tget_class(type) == H5T_FLOAT || H5Tget_class(type) == H5T_INTEGER else { return nil }
            var value = 0.0
            return H5Aread(attribute, Double.hdf5Type, &value) >= 0 ? value : nil
        }
    }

    /// Reads an integer attribute.
    public func intAttribute(_ name: String, on objectPath: String) throws -> Int64 {
        try readAttribute(name, on: objectPath) { attribute, type, count in
            guard count == 1, H5Tget_class(type) == H5T_INTEGER else { return nil }
            var value: Int64 = 0
            return H5Aread(attribute, Int64.hdf5Type, &value) >= 0 ? value : nil
        }
    }

    /// The names of an object's attributes, sorted.
    public func attributeNames(on objectPath: String) throws -> [String] {
        let object = try openObject(objectPath)
        defer { H5Oclose(object) }
        var names: [String] = []
        var index: hsize_t = 0
        while true {
            let size = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_p_default())
            guard size >= 0 else { break }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_p_default())
            names.append(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            index += 1
        }
        return names.sorted()
    }

    // MARK: Helpers

    private func components(_ objectPath: String) -> [String] {
        objectPath.split(separator: "/").map(String.init)
    }

    private func check(_ status: herr_t, _ call: String, _ object: String) throws {
        guard status >= 0 else { throw HDF5Error.failed(call: call, file: path, object: object) }
    }

    /// A creation property list of the given class with time tracking off.
    private func untrackedPropertyList(_ propertyClass: hid_t, _ object: String) throws -> hid_t {
        let plist = H5Pcreate(propertyClass)
        guard plist >= 0 else { throw HDF5Error.failed(call: "H5Pcreate", file: path, object: object) }
        guard H5Pset_obj_track_times(plist, false) >= 0 else {
            H5Pclose(plist)
            throw HDF5Error.failed(call: "H5Pset_obj_track_times", file: path, object: object)
        }
        return plist
    }

    private func dataspace(_ shape: [Int], _ object: String) throws -> hid_t {
        let space: hid_t
        if shape.isEmpty {
            space = H5Screate(H5S_SCALAR)
        } else {
            var dims = shape.map { hsize_t($0) }
            space = H5Screate_simple(Int32(dims.count), &dims, nil)
        }
        guard space >= 0 else { throw HDF5Error.failed(call: "H5Screate", file: path, object: object) }
        return space
    }

    private func parent(of objectPath: String) -> String {
        let parts = components(objectPath)
        return "/" + parts.dropLast().joined(separator: "/")
    }

    /// Creates a dataset (replacing any object at the path), parents included.
    private func createDataset(_ datasetPath: String, type: hid_t, space: hid_t,
                               configure: (hid_t) -> herr_t = { _ in 0 }) throws -> hid_t {
        try createGroup(parent(of: datasetPath))
        try remove(datasetPath)
        let plist = try untrackedPropertyList(chdf5_p_dataset_create(), datasetPath)
        defer { H5Pclose(plist) }
        try check(configure(plist), "H5Pset (dataset creation)", datasetPath)
        let dataset = H5Dcreate2(id, datasetPath, type, space, chdf5_p_default(), plist, chdf5_p_default())
        guard dataset >= 0 else { throw HDF5Error.failed(call: "H5Dcreate2", file: path, object: datasetPath) }
        return dataset
    }

    private func openDataset(_ datasetPath: String) throws -> hid_t {
        guard exists(datasetPath) else { throw HDF5Error.notFound(file: path, object: datasetPath) }
        let dataset = H5Dopen2(id, datasetPath, chdf5_p_default())
        guard dataset >= 0 else { throw HDF5Error.mismatch(file: path, object: datasetPath, reason: "not a dataset") }
        return dataset
    }

    private func openObject(_ objectPath: String) throws -> hid_t {
        guard objectPath == "/" || exists(objectPath) else { throw HDF5Error.notFound(file: path, object: objectPath) }
        let object = H5Oopen(id, objectPath, chdf5_p_default())
        guard object >= 0 else { throw HDF5Error.failed(call: "H5Oopen", file: path, object: objectPath) }
        return object
    }

    private func datasetShape(_ dataset: hid_t, _ object: String) throws -> [Int] {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw HDF5Error.failed(call: "H5Dget_space", file: path, object: object) }
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int($0) }
    }

    /// A fixed-length, null-padded UTF-8 string type of `length` bytes (at least 1).
    private func stringType(length: Int, _ object: String) throws -> hid_t {
        let type = H5Tcopy(chdf5_t_c_s1())
        guard type >= 0, H5Tset_size(type, max(length, 1)) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0,
              H5Tset_strpad(type, H5T_STR_NULLPAD) >= 0 else {
            throw HDF5Error.failed(call: "H5Tset_size", file: path, object: object)
        }
        return type
    }

    private func decodeString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    private func writeAttribute(_ name: String, on objectPath: String, type: hid_t, shape: [Int],
                                write: (hid_t) -> herr_t) throws {
        let object = try openObject(objectPath)
        defer { H5Oclose(object) }
        if H5Aexists(object, name) > 0 { try check(H5Adelete(object, name), "H5Adelete", "\(objectPath)@\(name)") }
        let space = try dataspace(shape, objectPath)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, type, space, chdf5_p_default(), chdf5_p_default())
        guard attribute >= 0 else { throw HDF5Error.failed(call: "H5Acreate2", file: path, object: "\(objectPath)@\(name)") }
        defer { H5Aclose(attribute) }
        try check(write(attribute), "H5Awrite", "\(objectPath)@\(name)")
    }

    private func readAttribute<R>(_ name: String, on objectPath: String,
                                  read: (_ attribute: hid_t, _ type: hid_t, _ count: Int) -> R?) throws -> R {
        let object = try openObject(objectPath)
        defer { H5Oclose(object) }
        guard H5Aexists(object, name) > 0 else { throw HDF5Error.notFound(file: path, object: "\(objectPath)@\(name)") }
        let attribute = H5Aopen(object, name, chdf5_p_default())
        guard attribute >= 0 else { throw HDF5Error.failed(call: "H5Aopen", file: path, object: "\(objectPath)@\(name)") }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard let value = read(attribute, type, count) else {
            throw HDF5Error.mismatch(file: path, object: "\(objectPath)@\(name)", reason: "attribute of another type")
        }
        return value
    }
}
