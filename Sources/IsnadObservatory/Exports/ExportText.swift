import Foundation

/// Escaping and formatting shared by the exports.
enum ExportText {
    /// RFC 3339 UTC time, e.g. `2025-11-20T14:13:20Z`.
    static func timestamp(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// An RFC 4180 field: quoted when it holds a comma, quote, CR or LF (quotes doubled).
    /// Free text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is
    /// prefixed with an apostrophe (OWASP's advice for CSV injection); `isText` says which
    /// fields are free text, so numbers keep their sign.
    static func csvField(_ value: String, isText: Bool = false) -> String {
        var value = value
        if isText, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV record with its CRLF terminator (RFC 4180 §2).
    static func csvRecord(_ fields: [String]) -> String {
        fields.joined(separator: ",") + "\r\n"
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped,
    /// everything else as UTF-8.
    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Text for XML 1.0 character data and attribute values: the five predefined entities, and
    /// characters XML cannot carry at all (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) replaced by U+FFFD.
    static func xml(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
