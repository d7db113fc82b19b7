/// The `<N>[.p/<W>]` part of tlog-tiles paths, shared by hash tiles and entry bundles
/// (c2sp.org/tlog-tiles, Merkle Tree: "zero-padded 3-digit path elements. All but the last
/// path element MUST begin with an x").
enum TilePath {
    /// `1234067` → `x001/x234/067`; `5` → `005`.
    static func encodeIndex(_ index: UInt64) -> String {
        var groups: [UInt64] = []
        var rest = index
        repeat {
            groups.append(rest % 1000)
            rest /= 1000
        } while rest > 0
        var parts: [String] = []
        for (position, group) in groups.reversed().enumerated() {
            let digits = String(group)
            let padded = String(repeating: "0", count: 3 - digits.count) + digits
            parts.append(position == groups.count - 1 ? padded : "x" + padded)
        }
        return parts.joined(separator: "/")
    }

    /// `<N>` plus `.p/<W>` when `width` is below 256.
    static func encode(index: UInt64, width: Int) -> String {
        let n = encodeIndex(index)
        return width == Tile.maxWidth ? n : "\(n).p/\(width)"
    }

    /// Parses the path elements after `tile/<L>/` or `tile/entries/`, strictly and canonically.
    static func decode(_ elements: ArraySlice<Substring>) throws(TransparencyError) -> (index: UInt64, width: Int) {
        var elements = Array(elements)
        var width = Tile.maxWidth
        // A partial tile ends in `<last>.p/<W>`: the `.p` sticks to the last index element.
        if elements.count >= 2, elements[elements.count - 2].hasSuffix(".p") {
            guard let w = decimal(elements[elements.count - 1]), w >= 1, w <= 255 else {
                throw malformed("the partial width after .p/ must be a decimal from 1 to 255 without leading zeroes")
            }
            width = Int(w)
            elements.removeLast()
            elements[elements.count - 1] = elements[elements.count - 1].dropLast(2)
        }
        guard !elements.isEmpty, elements.count <= 7 else { throw malformed("the tile index has no or too many path elements") }
        var index: UInt64 = 0
        for (position, element) in elements.enumerated() {
            let isLast = position == elements.count - 1
            var digits = element
            if !isLast {
                guard digits.first == "x" else { throw malformed("every index element but the last must start with x") }
                digits = digits.dropFirst()
            }
            guard digits.count == 3, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let group = UInt64(digits) else {
                throw malformed("index elements must be exactly three decimal digits")
            }
            if position == 0, !isLast, group == 0 {
                throw malformed("the index must not start with a zero x000 element")
            }
            let (scaled, overflow1) = index.multipliedReportingOverflow(by: 1000)
            let (sum, overflow2) = scaled.addingReportingOverflow(group)
            guard !overflow1, !overflow2 else { throw malformed("the tile index does not fit in 64 bits") }
            index = sum
        }
        return (index, width)
    }

    /// A canonical decimal: ASCII digits, no leading zero unless it is "0".
    static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if text.count > 1, text.first == "0" { return nil }
        return UInt64(text)
    }

    static func malformed(_ message: String) -> TransparencyError {
        TransparencyError(.malformedTile, message, specRule: "c2sp.org/tlog-tiles, Merkle Tree")
    }
}
