extension String {
    /// Whether the text starts with `prefix`, ASCII letters compared without regard to case
    /// (`prefix` is lower-case ASCII), without lower-casing the whole text first.
    func hasASCIIPrefixIgnoringCase(_ prefix: StaticString) -> Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
            for index in 0..<prefix.utf8CodeUnitCount {
                var byte = bytes[index]
                if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 0x20 }
                guard byte == prefix.utf8Start[index] else { return false }
            }
            return true
        }
    }
}
