/// Finds the first object key that appears twice in one JSON object.
///
/// RFC 8259 §4 leaves duplicate names undefined: Foundation keeps the first, many tools keep the
/// last. A report whose meaning depends on the reader is refused instead. The scan only looks for
/// duplicates; anything it does not understand it leaves to `JSONDecoder`, which reports it.
struct JSONDuplicateKeys {
    private let bytes: [UInt8]
    private var position = 0
    private var path: [String] = []
    /// Deeper nesting is left to `JSONDecoder`'s own limit.
    private static let maximumDepth = 256

    /// The path of the first duplicated key (e.g. `victims[0].name_latin`), or `nil`.
    static func firstDuplicate(in bytes: [UInt8]) -> String? {
        var scanner = JSONDuplicateKeys(bytes: bytes)
        return scanner.value(depth: 0)
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { position += 1 }
    }

    private func render(_ components: [String]) -> String {
        var text = ""
        for component in components {
            if component.hasPrefix("[") { text += component } else { text += text.isEmpty ? component : "." + component }
        }
        return text
    }

    /// Scans one value; returns a duplicate's path, or `nil` (also when the text is not JSON).
    private mutating func value(depth: Int) -> String? {
        guard depth < Self.maximumDepth else { position = bytes.count; return nil }
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"):
            position += 1
            var keys = Set<String>()
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return nil }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\""), let key = string() else { position = bytes.count; return nil }
                // Swift string equality, as Foundation's own key lookup uses.
                if !keys.insert(key).inserted { return render(path + [key]) }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { position = bytes.count; return nil }
                position += 1
                path.append(key)
                if let duplicate = value(depth: depth + 1) { return duplicate }
                path.removeLast()
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1 }
                return nil
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return nil }
            var index = 0
            while true {
                path.append("[\(index)]")
                if let duplicate = value(depth: depth + 1) { return duplicate }
                path.removeLast()
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; index += 1; continue }
                if current == UInt8(ascii: "]") { position += 1 }
                return nil
            }
        case UInt8(ascii: "\""):
            _ = string()
            return nil
        default:
            // Numbers and literals: skip to the next structural character.
            while let c = current, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(c) { position += 1 }
            return nil
        }
    }

    /// Reads a string token and unescapes it; `nil` if it is not well formed.
    private mutating func string() -> String? {
        position += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() -> Bool {
            guard let text = String(validating: raw, as: UTF8.self) else { return false }
            scalars.append(contentsOf: text.unicodeScalars)
            raw.removeAll()
            return true
        }
        while let c = current {
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return flush() ? String(scalars) : nil
            case UInt8(ascii: "\\"):
                guard flush(), let escape = current else { return nil }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): raw.append(escape)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0c)
                case UInt8(ascii: "n"): raw.append(0x0a)
                case UInt8(ascii: "r"): raw.append(0x0d)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "u"):
                    guard var unit = hex4() else { return nil }
                    if (0xd800..<0xdc00).contains(unit), current == UInt8(ascii: "\\"),
                       position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        guard let low = hex4(), (0xdc00..<0xe000).contains(low) else { return nil }
                        unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    guard let scalar = Unicode.Scalar(unit) else { return nil }
                    scalars.append(scalar)
                default:
                    return nil
                }
            default:
                raw.append(c)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            position += 1
            switch c {
            case 0x30...0x39: value = value << 4 | UInt32(c - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(c - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | UInt32(c - 0x61 + 10)
            default: return nil
            }
        }
        return value
    }
}
