import IsnadMLS

/// Shared pieces of the reports' binary codec over IsnadMLS's strict TLS reader and writer.
enum WireCodec {
    /// Runs a TLS read, turning an ``MLSError`` into a ``WireError/Code/malformed`` naming `field`.
    static func run<T>(_ field: String, _ body: () throws -> T) throws(WireError) -> T {
        do {
            return try body()
        } catch let error as WireError {
            throw error
        } catch let error as MLSError {
            throw WireError.malformed(field, "the bytes are not a valid encoding (\(error.code))", underlying: error)
        } catch {
            throw WireError.malformed(field, "the bytes are not a valid encoding")
        }
    }

    /// Writes a string as `opaque<V>` of its exact UTF-8 bytes (no normalisation).
    static func writeString(_ string: String, to encoder: inout TLSEncoder) {
        encoder.writeOpaque(Array(string.utf8))
    }

    /// Reads `opaque<V>` that must be valid UTF-8 of at most `maxBytes` bytes.
    static func readString(_ decoder: inout TLSDecoder, field: String, maxBytes: Int) throws(WireError) -> String {
        let bytes = try run(field) { try decoder.readOpaque(field) }
        guard bytes.count <= maxBytes else {
            throw WireError.schema(field, "the text has \(bytes.count) bytes; the limit is \(maxBytes)")
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw WireError.malformed(field, "the text is not valid UTF-8")
        }
        return string
    }

    /// Writes `optional<opaque<V>>` of a string's UTF-8 bytes.
    static func writeOptionalString(_ string: String?, to encoder: inout TLSEncoder) {
        encoder.writeOptional(string) { value, encoder in writeString(value, to: &encoder) }
    }

    /// Reads `optional<opaque<V>>` UTF-8 text.
    static func readOptionalString(_ decoder: inout TLSDecoder, field: String, maxBytes: Int) throws(WireError) -> String? {
        let present = try readPresence(&decoder, field: field)
        return present ? try readString(&decoder, field: field, maxBytes: maxBytes) : nil
    }

    /// Reads the presence octet of `optional<T>` (RFC 9420 §2.1.1): 0 or 1, nothing else.
    static func readPresence(_ decoder: inout TLSDecoder, field: String) throws(WireError) -> Bool {
        let octet = try run(field) { try decoder.readUInt8(field) }
        switch octet {
        case 0: return false
        case 1: return true
        default: throw WireError.malformed(field, "presence octet \(octet) is neither 0 nor 1")
        }
    }

    /// Reads `opaque<V>` that must have exactly `count` bytes.
    static func readFixedOpaque(_ decoder: inout TLSDecoder, field: String, count: Int) throws(WireError) -> [UInt8] {
        let bytes = try run(field) { try decoder.readOpaque(field) }
        guard bytes.count == count else {
            throw WireError.malformed(field, "has \(bytes.count) bytes; exactly \(count) are required")
        }
        return bytes
    }

    /// Reads a vector whose elements `element` decodes, at most `maxCount` of them.
    static func readList<T>(
        _ decoder: inout TLSDecoder, field: String, maxCount: Int,
        _ element: (inout TLSDecoder) throws(WireError) -> T
    ) throws(WireError) -> [T] {
        try run(field) {
            try decoder.readVector(field) { inner in
                var elements: [T] = []
                while !inner.isAtEnd {
                    guard elements.count < maxCount else {
                        throw WireError.schema(field, "the list has more than \(maxCount) entries")
                    }
                    elements.append(try element(&inner))
                }
                return elements
            }
        }
    }

    /// Decodes a whole buffer with `body`, which must consume every byte.
    static func decodeAll<T>(
        _ bytes: [UInt8], what: String, _ body: (inout TLSDecoder) throws(WireError) -> T
    ) throws(WireError) -> T {
        var decoder = TLSDecoder(bytes)
        let value = try body(&decoder)
        guard decoder.isAtEnd else {
            throw WireError.malformed(what, "\(decoder.remaining) unexpected byte(s) follow the structure")
        }
        return value
    }
}
