/// Decodes the lowercase hex of known-answer test data.
func hex(_ string: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = string.utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: fatalError("bad hex in test data")
        }
    }
    while let hi = iterator.next(), let lo = iterator.next() {
        bytes.append(nibble(hi) << 4 | nibble(lo))
    }
    return bytes
}
