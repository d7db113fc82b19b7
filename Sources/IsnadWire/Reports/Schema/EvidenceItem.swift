import IsnadMLS

/// A photo, video, audio recording or document that supports a report, identified by its hash;
/// the file itself travels separately (docs/reports.md, "Evidence").
///
/// JSON: `{"sha256": "<64 lowercase hex>", "media_type": "image/jpeg", "size": 123,
/// "capture_time": {…}, "capture_device": "…"}`. Binary: `opaque<V> sha256` (32 bytes),
/// `opaque<V> media_type`, `uint64 size`, `ReportTime capture_time`, `optional<opaque<V>> capture_device`.
public struct EvidenceItem: Hashable, Sendable {
    /// SHA-256 of the file's bytes, 32 bytes.
    public var sha256: [UInt8]
    /// The RFC 6838 media type, lowercase, e.g. `image/jpeg`.
    public var mediaType: String
    /// The file's size in bytes.
    public var size: UInt64
    /// When the file was captured, as precisely as known.
    public var captureTime: ReportTime
    /// A note on the capturing device ("phone camera", "CCTV"); never a serial number unless the reporter chooses.
    public var captureDevice: String?

    /// Creates an evidence item.
    public init(sha256: [UInt8], mediaType: String, size: UInt64, captureTime: ReportTime = .unknown, captureDevice: String? = nil) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.size = size
        self.captureTime = captureTime
        self.captureDevice = captureDevice
    }

    func validate(field: String) throws(WireError) {
        guard sha256.count == 32 else { throw WireError.schema(field + ".sha256", "a SHA-256 hash has 32 bytes") }
        guard Self.isMediaType(mediaType) else {
            throw WireError.schema(field + ".media_type", "a media type is lowercase 'type/subtype' (RFC 6838 §4.2)")
        }
        try captureTime.validate(field: field + ".capture_time")
        try Report.checkShortText(captureDevice, field: field + ".capture_device")
    }

    /// `type/subtype` with RFC 6838 §4.2 restricted-name characters, lowercase, at most 127 each.
    static func isMediaType(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            guard let first = part.first, (1...127).contains(part.count),
                  (0x61...0x7a).contains(first) || (0x30...0x39).contains(first)
            else { return false }
            return part.allSatisfy { c in
                (0x61...0x7a).contains(c) || (0x30...0x39).contains(c) || Array("!#$&-^_.+".utf8).contains(c)
            }
        }
    }

    func encode(to encoder: inout TLSEncoder) {
        encoder.writeOpaque(sha256)
        WireCodec.writeString(mediaType, to: &encoder)
        encoder.write(size)
        captureTime.encode(to: &encoder)
        WireCodec.writeOptionalString(captureDevice, to: &encoder)
    }

    init(from decoder: inout TLSDecoder, field: String) throws(WireError) {
        sha256 = try WireCodec.readFixedOpaque(&decoder, field: field + ".sha256", count: 32)
        mediaType = try WireCodec.readString(&decoder, field: field + ".media_type", maxBytes: 255)
        size = try WireCodec.run(field + ".size") { try decoder.readUInt64() }
        captureTime = try ReportTime(from: &decoder, field: field + ".capture_time")
        captureDevice = try WireCodec.readOptionalString(
            &decoder, field: field + ".capture_device", maxBytes: Report.Limits.shortTextBytes)
    }
}

extension EvidenceItem: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case sha256
        case mediaType = "media_type"
        case size
        case captureTime = "capture_time"
        case captureDevice = "capture_device"
    }

    /// Decodes from JSON; `sha256` is 64 lowercase hex digits; an unknown key is rejected.
    public init(from decoder: any Decoder) throws {
        try JSONFields.rejectUnknownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let hex = try c.decode(String.self, forKey: .sha256)
        guard let hash = Hex.decode(hex), hash.count == 32 else {
            throw WireError(
                .invalidJSONValue, "sha256 is 64 lowercase hexadecimal digits",
                field: JSONFields.path(decoder.codingPath + [CodingKeys.sha256]), specRule: "docs/reports.md §Evidence")
        }
        sha256 = hash
        mediaType = try c.decode(String.self, forKey: .mediaType)
        size = try c.decode(UInt64.self, forKey: .size)
        captureTime = try c.decodeIfPresent(ReportTime.self, forKey: .captureTime) ?? .unknown
        captureDevice = try c.decodeIfPresent(String.self, forKey: .captureDevice)
    }

    /// Encodes the item; the hash as lowercase hex.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Hex.encode(sha256), forKey: .sha256)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(size, forKey: .size)
        try c.encode(captureTime, forKey: .captureTime)
        try c.encodeIfPresent(captureDevice, forKey: .captureDevice)
    }
}
