import Foundation
import IsnadMLS
import IsnadMLSConformance

/// A seeded, deterministic generator for tests (SplitMix64). Not for keys outside tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The folder of the official vectors copied into this test target.
enum Vectors {
    static var folder: String {
        Bundle.module.resourceURL!.appendingPathComponent("Vectors").path
    }

    static func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// The hex fields of every case of `name`, for decoder tests.
    static func hexFields(_ name: String, keys: [String]) throws -> [(String, [UInt8])] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file(name)))
        let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        var result: [(String, [UInt8])] = []
        for object in array {
            for key in keys {
                if let text = object[key] as? String, let bytes = [UInt8](hexString: text) { result.append((key, bytes)) }
            }
        }
        return result
    }
}

extension MLSError {
    /// Whether `error` is an MLSError with `code`.
    static func has(_ code: MLSError.Code, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch let error as MLSError {
            return error.code == code
        } catch {
            return false
        }
    }
}
