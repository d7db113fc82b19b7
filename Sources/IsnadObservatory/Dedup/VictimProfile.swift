import IsnadWire

/// The comparable features of one ``VictimRecord``, computed once: folded names in each script,
/// their skeletons, and the keys used for blocking.
struct VictimProfile: Sendable {
    /// Folded words of the Arabic-script name and of the Latin name, as code points, when given.
    let arabic: [UInt32]?
    let latin: [UInt32]?
    /// Skeletons of the Arabic-script and the Latin name (empty if not given); words as code points.
    let skeletons: [[UInt32]]
    /// The skeleton words of each skeleton, for the word-by-word comparison.
    let skeletonWords: [[[UInt32]]]
    let fatherSkeleton: [UInt32]?
    let wordCount: Int
    let governorate: String
    let locality: String
    let isUnidentified: Bool

    init(_ record: VictimRecord, gazetteer: Gazetteer) {
        let victim = record.victim
        func folded(_ name: String?) -> [String]? {
            guard let name else { return nil }
            let words = NameNormalization.tokens(name)
            return words.isEmpty ? nil : words
        }
        let arabicWords = folded(victim.nameArabic)
        let latinWords = folded(victim.nameLatin)
        arabic = arabicWords.map { Self.points($0.joined(separator: " ")) }
        latin = latinWords.map { Self.points($0.joined(separator: " ")) }
        let skeletonTexts = [arabicWords, latinWords].compactMap { $0 }
            .map { NameNormalization.skeleton(tokens: $0) }.filter { !$0.isEmpty }
        skeletons = skeletonTexts.map(Self.points)
        skeletonWords = skeletonTexts.map { $0.split(separator: " ").map { Self.points(String($0)) } }
        // The father's name as a field, or else the middle word of a three-word name (given,
        // father's, family name: the usual order in Arabic names).
        let stated = victim.fatherName.map { Self.points(NameNormalization.skeleton($0)) }.flatMap { $0.isEmpty ? nil : $0 }
        fatherSkeleton = stated ?? skeletonWords.first(where: { $0.count >= 3 }).map { $0[1] }
        wordCount = max(arabicWords?.count ?? 0, latinWords?.count ?? 0)
        governorate = gazetteer.governorate(record.place.governorate).key
        locality = record.place.locality.map(Gazetteer.key) ?? ""
        isUnidentified = skeletons.isEmpty
            || [arabicWords, latinWords].contains { words in words.map(Self.isPlaceholder) ?? false }
    }

    /// The skeleton of the first word (the given name) of each name: records sharing one are
    /// compared even when their places differ or are unknown.
    var nameKeys: Set<[UInt32]> {
        Set(skeletonWords.compactMap(\.first))
    }

    /// The skeletons of the first and last word of each name (given and family name, with or
    /// without a father's name between): the key for records without a day.
    var outerNameKeys: Set<[[UInt32]]> {
        Set(skeletonWords.compactMap { words in words.first.map { [$0, words.count > 1 ? words[words.count - 1] : []] } })
    }

    /// The first skeleton letter of each name: within a governorate, only records sharing one
    /// are compared (a typo in the very first letter is rare, and pass 2 still meets it).
    var initials: Set<UInt32> {
        Set(skeletons.compactMap(\.first))
    }

    private static func points(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    /// Words reporters write for a person they cannot name ("مجهول الهوية", "unknown child").
    private static let placeholderWords: Set<String> = [
        "مجهول", "مجهوله", "unknown", "unidentified", "unnamed", "anonymous", "majhul", "majhoul", "mjhwl",
    ]
    private static let placeholderNames: Set<String> = [
        "غير معروف", "غير معروفه", "بدون اسم", "لا يوجد", "n a", "na", "none", "no name", "x",
    ]

    private static func isPlaceholder(_ words: [String]) -> Bool {
        words.contains(where: placeholderWords.contains) || placeholderNames.contains(words.joined(separator: " "))
    }
}
