/// Appends TLS encodings.
enum ByteWriter {
    static func append(_ value: UInt64, byteCount: Int, to out: inout [UInt8]) {
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// The RFC 9162 §4.11/§4.12 `NodeHash path<0..2^16-1>`: a 2-byte total length, then each
    /// hash as `opaque NodeHash<32..2^8-1>` with a 1-byte length.
    static func appendPath(_ path: [[UInt8]], to out: inout [UInt8]) {
        let body = path.flatMap { [UInt8(truncatingIfNeeded: $0.count)] + $0 }
        append(UInt64(body.count), byteCount: 2, to: &out)
        out.append(contentsOf: body)
    }
}
