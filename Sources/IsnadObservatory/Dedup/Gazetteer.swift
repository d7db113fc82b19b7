/// A governorate as tallies group by it: a display name and, when the gazetteer knows it, a code
/// (for instance an OCHA P-code) for `#adm1+code`.
public struct Governorate: Hashable, Comparable, Sendable {
    /// The folded key places are grouped by; empty when the governorate is unknown.
    public let key: String
    /// The name to show: the gazetteer's name, or the text as first reported.
    public let name: String
    /// The administrative code, when the gazetteer gives one.
    public let code: String?

    /// Creates a governorate.
    public init(key: String, name: String, code: String?) {
        self.key = key
        self.name = name
        self.code = code
    }

    /// The governorate of records that name none.
    public static let unknown = Governorate(key: "", name: "", code: nil)

    /// Whether the governorate is known.
    public var isKnown: Bool { !key.isEmpty }

    public static func < (a: Governorate, b: Governorate) -> Bool {
        a.key != b.key ? a.key < b.key : (a.code ?? "", a.name) < (b.code ?? "", b.name)
    }
}

/// The observatory's list of governorates with the spellings reporters use for each ("حلب",
/// "Aleppo", "Halab"), so that reports in either script count in one place. Names not in the list
/// are grouped by their folded form.
public struct Gazetteer: Sendable {
    /// One governorate and its other spellings.
    public struct Entry: Sendable {
        /// The administrative code, e.g. a P-code.
        public var code: String?
        /// The name shown in tallies and exports.
        public var name: String
        /// Other spellings, in any script.
        public var aliases: [String]

        /// Creates an entry.
        public init(code: String?, name: String, aliases: [String]) {
            self.code = code
            self.name = name
            self.aliases = aliases
        }
    }

    private var byKey: [String: Governorate] = [:]
    private var byCode: [String: Governorate] = [:]

    /// An empty gazetteer: every governorate is grouped by its folded spelling.
    public init() {}

    /// A gazetteer of the given entries; a spelling listed twice keeps its first entry.
    public init(_ entries: [Entry]) {
        for entry in entries {
            let canonical = Self.key(entry.name)
            let governorate = Governorate(key: canonical, name: entry.name, code: entry.code)
            if let code = entry.code, byCode[code] == nil { byCode[code] = governorate }
            for spelling in [entry.name] + entry.aliases where byKey[Self.key(spelling)] == nil {
                byKey[Self.key(spelling)] = governorate
            }
        }
    }

    /// The governorate a reported name denotes; ``Governorate/unknown`` for `nil` or blank text.
    public func governorate(_ reported: String?) -> Governorate {
        guard let reported else { return .unknown }
        let key = Self.key(reported)
        guard !key.isEmpty else { return .unknown }
        return byKey[key] ?? Governorate(key: key, name: reported, code: nil)
    }

    /// The governorate with this code (exactly as listed), if the gazetteer has one.
    public func governorate(code: String) -> Governorate? {
        byCode[code]
    }

    /// The folded form places are compared by (the same folding as names).
    public static func key(_ text: String) -> String {
        NameNormalization.tokens(text).joined(separator: " ")
    }
}
