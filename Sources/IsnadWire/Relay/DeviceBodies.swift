import Foundation

/// `POST /v1/devices` (bearer token of a device of the account): links another device.
///
/// The identity key signs the new device key and the new device key signs the identity key,
/// under the same labels as at registration:
/// ```
/// device_binding = Sign(identity key, "isnad relay v1 device binding" 0x00 || device_key)
/// device_proof   = Sign(new device key, "isnad relay v1 device proof" 0x00 || identity_key)
/// ```
/// The answer is a ``RegisteredDevice``; the new device then signs in with its own ID
/// (it can also learn that ID by posting its registration to `POST /v1/accounts`, which answers
/// 200 with the stored ID).
public struct DeviceLinkRequest: Codable, Hashable, Sendable {
    /// The new device's Ed25519 public key (32 bytes).
    public var deviceKey: Base64URL
    /// The identity key's signature over the device binding.
    public var deviceBinding: Base64URL
    /// The new device key's signature over the device proof.
    public var deviceProof: Base64URL

    /// Creates a request.
    public init(deviceKey: Base64URL, deviceBinding: Base64URL, deviceProof: Base64URL) {
        self.deviceKey = deviceKey
        self.deviceBinding = deviceBinding
        self.deviceProof = deviceProof
    }

    enum CodingKeys: String, CodingKey {
        case deviceKey = "device_key", deviceBinding = "device_binding", deviceProof = "device_proof"
    }
}

/// The answer to `POST /v1/accounts` and `POST /v1/devices`: the device's ID on this relay.
public struct RegisteredDevice: Codable, Hashable, Sendable {
    /// The relay's ID for the device (a lower-case UUID).
    public var deviceID: String
    /// The account's identity key.
    public var identityKey: Base64URL

    /// Creates an answer.
    public init(deviceID: String, identityKey: Base64URL) {
        self.deviceID = deviceID
        self.identityKey = identityKey
    }

    enum CodingKeys: String, CodingKey { case deviceID = "device_id", identityKey = "identity_key" }
}

/// `GET /v1/devices[?identity_key=…]`: the devices of an account, oldest first.
public struct DeviceList: Codable, Hashable, Sendable {
    /// One device of the account.
    public struct Entry: Codable, Hashable, Sendable {
        /// The relay's ID for the device.
        public var deviceID: String
        /// The device's Ed25519 public key.
        public var deviceKey: Base64URL
        /// The identity key's signature over the device binding, so anyone can check it.
        public var deviceBinding: Base64URL
        /// When the device was registered or linked.
        public var createdAt: Date

        /// Creates an entry.
        public init(deviceID: String, deviceKey: Base64URL, deviceBinding: Base64URL, createdAt: Date) {
            self.deviceID = deviceID
            self.deviceKey = deviceKey
            self.deviceBinding = deviceBinding
            self.createdAt = createdAt
        }

        enum CodingKeys: String, CodingKey {
            case deviceID = "device_id", deviceKey = "device_key", deviceBinding = "device_binding", createdAt = "created_at"
        }
    }

    /// The account's identity key.
    public var identityKey: Base64URL
    /// Its devices, oldest first.
    public var devices: [Entry]

    /// Creates a list.
    public init(identityKey: Base64URL, devices: [Entry]) {
        self.identityKey = identityKey
        self.devices = devices
    }

    enum CodingKeys: String, CodingKey { case identityKey = "identity_key", devices }
}
