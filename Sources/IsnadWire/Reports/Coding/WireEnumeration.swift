import IsnadMLS

/// A closed list of schema values with a JSON name (its raw value) and a one-octet binary code.
///
/// Codes are fixed forever once published (docs/reports.md, "Binary encoding"): a new value gets a
/// new code and an unknown code is rejected, never mapped to a neighbour.
protocol WireEnumeration: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The one-octet binary code.
    var code: UInt8 { get }
}

extension WireEnumeration {
    /// Writes the value's code.
    func encode(to encoder: inout TLSEncoder) { encoder.write(code) }

    /// Reads a code, rejecting one that names no value.
    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        let code = try WireCodec.run(field) { try decoder.readUInt8(field) }
        guard let value = Self.allCases.first(where: { $0.code == code }) else {
            throw WireError.malformed(field, "code \(code) is not a defined \(field) value")
        }
        self = value
    }
}
