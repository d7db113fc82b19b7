/// JSON helpers shared by the report types' `Codable` conformances (docs/reports.md, "JSON").
enum JSONFields {
    /// Any key, to list the keys a JSON object actually has.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    /// Throws ``WireError/Code/unknownField`` if the object being decoded has a key `Keys` does not define.
    static func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _: Keys.Type) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        // Sorted, so the error names the same field on every run whatever the dictionary order.
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw WireError(
                .unknownField, "the schema has no field with this name; check its spelling against docs/reports.md",
                field: path(decoder.codingPath + [AnyKey(stringValue: unknown)]), specRule: "docs/reports.md §JSON")
        }
    }

    /// A coding path as `victims[2].age`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    /// Throws ``WireError/Code/invalidJSONValue`` at the decoder's path.
    static func invalid(_ decoder: any Decoder, _ message: String) -> WireError {
        WireError(.invalidJSONValue, message, field: path(decoder.codingPath), specRule: "docs/reports.md §JSON")
    }
}
