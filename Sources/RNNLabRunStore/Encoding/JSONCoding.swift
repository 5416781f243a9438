import Foundation

/// The one JSON encoding of stored values that hold metrics (the trainer checkpoint in a run file, and
/// any other JSON record of numbers): every Double round-trips bit for bit, the non-finite ones included.
///
/// JSON has no infinity or NaN, and `JSONEncoder`'s default throws on them, so a run whose perplexity
/// overflowed could not be checkpointed. Here they are the strings `"inf"`, `"-inf"` and `"nan"` (in both
/// directions); finite values are JSON numbers written with the shortest digits that read back to the
/// same bits. Keys are sorted, so the same value always gives the same bytes. Decoding also accepts
/// plain numbers, so JSON written before this encoding reads unchanged.
public enum JSONCoding {
    /// The strings that stand for +∞, −∞ and NaN.
    public static let positiveInfinity = "inf", negativeInfinity = "-inf", notANumber = "nan"

    /// An encoder with the non-finite strings and sorted keys.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: positiveInfinity,
                                                                      negativeInfinity: negativeInfinity, nan: notANumber)
        return encoder
    }

    /// A decoder that reads the non-finite strings back as numbers.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: positiveInfinity,
                                                                        negativeInfinity: negativeInfinity, nan: notANumber)
        return decoder
    }

    /// `value` as UTF-8 JSON text.
    public static func text(of value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// The value of type `type` in the JSON `text`.
    public static func value<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try decoder().decode(type, from: Data(text.utf8))
    }
}
