import Foundation

extension UUID {
    /// The 16 bytes of this UUID, in order.
    public var bytes: Data {
        withUnsafeBytes(of: uuid) { Data($0) }
    }

    /// A UUID from exactly 16 bytes; `nil` otherwise.
    public init?(bytes: Data) {
        guard bytes.count == 16 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        self.init(uuid: raw)
    }
}
