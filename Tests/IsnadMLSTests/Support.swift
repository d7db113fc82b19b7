import Foundation
import IsnadMLS
import IsnadMLSConformance

@_exported import struct IsnadFuzzTargets.SeededGenerator

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
