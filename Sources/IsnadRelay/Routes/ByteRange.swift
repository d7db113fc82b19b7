/// A `Range` request header for one byte range (RFC 9110 §14.1.2).
///
/// Several ranges, other units, or text that is not a range are ignored (the whole body is
/// sent), as RFC 9110 §14.2 allows; a range starting at or past the end is a 416 problem that
/// carries the length for `Content-Range: bytes */N`.
enum ByteRange: Equatable {
    case whole
    case part(Range<Int64>)

    /// Reads the header for a body of `size` bytes.
    /// - Throws: ``RelayError`` with ``RelayError/Code/rangeNotSatisfiable``.
    static func parse(_ header: String?, size: Int64) throws -> ByteRange {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst("bytes=".count)
        guard let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.count <= 18 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        if first.isEmpty {
            // A suffix: the last N bytes.
            guard isDigits(last), let count = Int64(last) else { return .whole }
            guard count > 0 else { throw unsatisfiable(size) }
            return .part(max(0, size - count)..<size)
        }
        guard isDigits(first), let start = Int64(first) else { return .whole }
        var end = size - 1
        if !last.isEmpty {
            guard isDigits(last), let stated = Int64(last), stated >= start else { return .whole }
            end = min(stated, size - 1)
        }
        guard start < size else { throw unsatisfiable(size) }
        return .part(start..<(end + 1))
    }

    static func unsatisfiable(_ size: Int64) -> RelayError {
        RelayError(.rangeNotSatisfiable, "The range starts at or past the end of the attachment (\(size) bytes).", completeLength: size)
    }
}
