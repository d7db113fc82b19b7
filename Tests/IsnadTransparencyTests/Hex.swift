/// Test helpers: hex decoding of known-answer strings and a seeded RNG.
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

/// SplitMix64: deterministic pseudo-random numbers so every test run is reproducible.
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
