import Foundation
import IsnadStore

/// Checks on decoded request fields, each failing with a 400 problem that names the field.
enum WireParsing {
    static func deviceID(_ text: String, field: String) throws -> DeviceID {
        guard let id = DeviceID(text) else {
            throw RelayError(.malformedRequest, "`\(field)` must be a device ID (a UUID).")
        }
        return id
    }

    static func deviceIDs(_ texts: [String], field: String, max: Int) throws -> [DeviceID] {
        guard texts.count <= max else {
            throw RelayError(.malformedRequest, "`\(field)` names more than \(max) devices.")
        }
        return try texts.enumerated().map { try deviceID($1, field: "\(field)[\($0)]") }
    }

    static func messageID(_ text: String, field: String = "message_id") throws -> MessageID {
        guard let id = MessageID(text) else {
            throw RelayError(.malformedRequest, "`\(field)` must be a UUID chosen by the client.")
        }
        return id
    }

    /// An Ed25519 public key: 32 bytes (RFC 8032 §5.1.5).
    static func publicKey(_ value: Base64URL, field: String) throws -> Data {
        guard value.data.count == 32 else {
            throw RelayError(.malformedRequest, "`\(field)` must be a 32-byte Ed25519 public key.")
        }
        return value.data
    }

    /// An Ed25519 signature: 64 bytes (RFC 8032 §5.1.6).
    static func signature(_ value: Base64URL, field: String) throws -> Data {
        guard value.data.count == 64 else {
            throw RelayError(.malformedRequest, "`\(field)` must be a 64-byte Ed25519 signature.")
        }
        return value.data
    }

    static func bytes(_ value: Base64URL, field: String, max: Int) throws -> Data {
        guard !value.data.isEmpty else {
            throw RelayError(.malformedRequest, "`\(field)` is empty.")
        }
        guard value.data.count <= max else {
            throw RelayError(.requestTooLarge, "`\(field)` is larger than \(max) bytes.")
        }
        return value.data
    }
}
