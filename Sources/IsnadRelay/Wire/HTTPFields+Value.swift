import HTTPTypes

extension HTTPFields {
    /// The value of the `name` fields, as `self[name]` reads it (several fields joined by ", "),
    /// without building the joined text when there is only one field: every authenticated
    /// request reads `Authorization` and `Content-Type` (issue 4's profile had the joining
    /// subscript at about 2% of a message's CPU).
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}

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
