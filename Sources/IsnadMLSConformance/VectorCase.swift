import Foundation
import IsnadMLS

/// A test vector file or case that does not have the shape its format requires.
public struct VectorFormatError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One JSON object of a test-vector file, with typed accessors that throw ``VectorFormatError``.
public struct VectorCase: @unchecked Sendable {
    // @unchecked: holds only values produced by JSONSerialization (strings, numbers, arrays,
    // dictionaries, NSNull), which are immutable once parsed.
    let fields: [String: Any]

    public init(_ fields: [String: Any]) { self.fields = fields }

    /// The keys of the object, used to tell a file's kind.
    public var keys: Set<String> { Set(fields.keys) }

    func value(_ key: String) throws -> Any {
        guard let value = fields[key] else { throw VectorFormatError("missing field \"\(key)\"") }
        return value
    }

    func has(_ key: String) -> Bool { fields[key] != nil && !(fields[key] is NSNull) }

    func hex(_ key: String) throws -> [UInt8] {
        guard let text = try value(key) as? String else { throw VectorFormatError("field \"\(key)\" is not a string") }
        guard let bytes = [UInt8](hexString: text) else { throw VectorFormatError("field \"\(key)\" is not hexadecimal") }
        return bytes
    }

    func optionalHex(_ key: String) throws -> [UInt8]? {
        has(key) ? try hex(key) : nil
    }

    func string(_ key: String) throws -> String {
        guard let text = try value(key) as? String else { throw VectorFormatError("field \"\(key)\" is not a string") }
        return text
    }

    func integer(_ key: String) throws -> UInt64 {
        guard let number = try value(key) as? NSNumber, number.int64Value >= 0 else {
            throw VectorFormatError("field \"\(key)\" is not a non-negative integer")
        }
        return number.uint64Value
    }

    func object(_ key: String) throws -> VectorCase {
        guard let object = try value(key) as? [String: Any] else { throw VectorFormatError("field \"\(key)\" is not an object") }
        return VectorCase(object)
    }

    func objects(_ key: String) throws -> [VectorCase] {
        guard let array = try value(key) as? [Any] else { throw VectorFormatError("field \"\(key)\" is not an array") }
        return try array.map {
            guard let object = $0 as? [String: Any] else { throw VectorFormatError("an element of \"\(key)\" is not an object") }
            return VectorCase(object)
        }
    }

    func optionalIntegers(_ key: String) throws -> [UInt32?] {
        guard let array = try value(key) as? [Any] else { throw VectorFormatError("field \"\(key)\" is not an array") }
        return try array.map {
            if $0 is NSNull { return nil }
            guard let number = $0 as? NSNumber else { throw VectorFormatError("an element of \"\(key)\" is not a number") }
            return number.uint32Value
        }
    }

    func cipherSuite() throws -> CipherSuite {
        CipherSuite(rawValue: UInt16(truncatingIfNeeded: try integer("cipher_suite")))
    }
}

extension Array where Element == UInt8 {
    /// Parses lower- or upper-case hexadecimal; `nil` if the text is not hexadecimal of even length.
    public init?(hexString: String) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    /// Lower-case hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The result of one case.
public enum CaseOutcome: Sendable, Equatable {
    case passed
    case failed(String)
    case skipped(String)
}

/// Throws a failure naming what differed, without printing secret values.
func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(what()) }
}

/// Throws a failure if two byte strings differ; names the check and the lengths only.
func expectEqual(_ actual: [UInt8], _ expected: [UInt8], _ what: String) throws {
    if actual != expected {
        throw CheckFailure("\(what) differs (\(actual.count) bytes computed, \(expected.count) expected)")
    }
}

/// A check inside a case did not hold.
struct CheckFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension NSNumber: NSNumberConvertible {}
