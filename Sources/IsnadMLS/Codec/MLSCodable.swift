/// A value with an RFC 9420 wire encoding.
public protocol MLSEncodable {
    /// Appends the value's encoding.
    func encode(to encoder: inout TLSEncoder)
}

/// A value that can be read from its RFC 9420 wire encoding.
///
/// Decoders never trap. IsnadMLS's own conforming types throw only ``MLSError``; types of other
/// Isnad modules that reuse this codec (reports in IsnadWire) throw their module's error for
/// rules beyond the wire syntax.
public protocol MLSDecodable {
    /// Reads one value, leaving the decoder after it.
    init(from decoder: inout TLSDecoder) throws
}

/// A value with a wire encoding in both directions.
public typealias MLSCodable = MLSEncodable & MLSDecodable

extension MLSEncodable {
    /// The value's wire encoding.
    public var encoded: [UInt8] {
        var encoder = TLSEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension MLSDecodable {
    /// Decodes a value that must occupy all of `bytes`.
    public init(decoding bytes: [UInt8]) throws {
        var decoder = TLSDecoder(bytes)
        self = try Self(from: &decoder)
        try decoder.finish(String(describing: Self.self))
    }
}
