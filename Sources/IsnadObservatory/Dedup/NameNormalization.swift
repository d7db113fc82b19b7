import Foundation

/// Folds personal names so that spellings of one name meet, in Arabic script and in Latin
/// transliteration (docs/dedup.md, "Names").
///
/// ```
/// "مُحَمَّد الأحمد"  ──fold──▶ "محمد احمد" ──skeleton──▶ "MHMD HMD"
/// "Mohammed al-Ahmad" ──fold──▶ "mohammed ahmad" ──skeleton──▶ "MHMD HMD"
/// ```
///
/// Folding (``tokens(_:)``) removes what does not distinguish names: tashkeel, tatweel and other
/// combining marks, bidirectional and joiner controls, Latin accents; it writes every hamza form of
/// alef as bare alef, alef maqsura as ya, ta marbuta as ha, hamza on waw/ya as waw/ya; it drops the
/// article (`ال`, `al-`, `el-`, `ad-`, …), `bin`/`ibn`/`بن`, and joins `عبد`/`abd`/`abdul` and
/// `ابو`/`abu` to the following word.
///
/// The skeleton (``skeleton(_:)``) is shared by both scripts: each consonant maps to one class
/// letter (table in docs/dedup.md); long vowels count where both scripts write them (U, I);
/// short vowels, alef, ayn and hamza are dropped; repeated classes collapse and a word-final H
/// (ta marbuta, `-ah`) is dropped. So محمد, Muhammad, Mohammed and Mohamed are all `MHMD`, while
/// محمود and Mahmoud are `MHMUD`.
public enum NameNormalization {
    /// The folded words of a name, articles and particles removed, compounds joined.
    public static func tokens(_ name: String) -> [String] {
        var words: [String] = []
        for word in fold(name).split(separator: " ") {
            var parts = word.split(separator: "-").map(String.init)
            if parts.count > 1, latinArticles.contains(parts[0]) { parts.removeFirst() }
            for part in parts where !part.isEmpty {
                words.append(stripArabicArticle(part))
            }
        }
        words.removeAll { standaloneArticles.contains($0) || particles.contains($0) }
        return joinCompounds(words)
    }

    /// The phonetic skeleton of a name: the skeletons of its words, separated by single spaces.
    public static func skeleton(_ name: String) -> String {
        skeleton(tokens: tokens(name))
    }

    /// The skeleton of already folded words; words whose skeleton is empty are left out.
    public static func skeleton(tokens: [String]) -> String {
        tokens.map(wordSkeleton).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Folds script variants, marks and case: the first step of ``tokens(_:)``. Hyphens are kept
    /// (they mark articles); other punctuation and digits become spaces.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        // NFKD splits precomposed hamza forms (أ = ا + U+0654), Latin accents and Arabic
        // presentation forms into base letters and marks, so one pass over marks removes them all.
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if let mapped = arabicFolding[scalar.value] {
                if let mapped { out.append(mapped) }
                continue
            }
            if ignoredMarks.contains(scalar.value) { continue }
            if scalar == "-" {
                out.append(scalar)
            } else if scalar.isASCII, (0x41...0x5A).contains(scalar.value) {
                out.append(Unicode.Scalar(scalar.value + 0x20) ?? scalar)  // fast path: ASCII capitals
            } else if scalar.properties.isAlphabetic {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(" ")
            }
        }
        return String(out).split(separator: " ").joined(separator: " ")
    }

    // MARK: - Folding tables

    /// Arabic letters folded to one form; `nil` removes the letter.
    private static let arabicFolding: [UInt32: Unicode.Scalar?] = [
        0x0622: "\u{0627}", 0x0623: "\u{0627}", 0x0625: "\u{0627}", 0x0671: "\u{0627}",  // آ أ إ ٱ → ا
        0x0672: "\u{0627}", 0x0673: "\u{0627}",
        0x0649: "\u{064A}", 0x06CC: "\u{064A}", 0x0626: "\u{064A}",  // ى ی ئ → ي
        0x0629: "\u{0647}", 0x06D5: "\u{0647}",  // ة ە → ه
        0x0624: "\u{0648}",  // ؤ → و
        0x06A9: "\u{0643}", 0x06AF: "\u{0643}",  // ک گ → ك
        0x06A4: "\u{0641}", 0x067E: "\u{0628}", 0x0686: "\u{062C}",  // ڤ → ف, پ → ب, چ → ج
        0x0621: nil, 0x0640: nil,  // lone hamza, tatweel
    ]

    /// Apostrophes and the letters transliterations use for ayn and hamza: removed without a break.
    private static let ignoredMarks: Set<UInt32> = [0x27, 0x60, 0xB4, 0x2BB, 0x2BC, 0x2BE, 0x2BF, 0x2018, 0x2019]

    /// Articles written with a hyphen before a name in transliteration (sun letters assimilated).
    private static let latinArticles: Set<String> = [
        "al", "el", "ul", "il", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "adh", "ed", "er", "es", "et", "ez", "en",
    ]
    private static let standaloneArticles: Set<String> = ["al", "el", "ال"]
    /// "son of", "daughter of": present in some records of a name and absent in others.
    private static let particles: Set<String> = ["bin", "ibn", "ben", "bint", "بن", "ابن", "بنت"]

    private static let arabicArticle = "\u{0627}\u{0644}"  // ال

    /// Drops a leading ال from a word of four letters or more (shorter words are names themselves).
    private static func stripArabicArticle(_ word: String) -> String {
        guard word.hasPrefix(arabicArticle), word.count >= 4 else { return word }
        return String(word.dropFirst(2))
    }

    private static let abd = "\u{0639}\u{0628}\u{062F}"  // عبد
    private static let abu = "\u{0627}\u{0628}\u{0648}"  // ابو
    private static let compoundLeads: [String: String] = [
        abd: abd, abu: abu, "abd": "abd", "abdul": "abd", "abdel": "abd", "abdal": "abd", "abdoul": "abd",
        "abdol": "abd", "abdu": "abd", "abu": "abu", "abou": "abu", "abo": "abu",
    ]
    private static let gluedLeads = ["abdoul", "abdul", "abdel", "abdal", "abdol"]

    /// Joins "Abd"/"Abu" with the next word and splits glued forms ("Abdulrahman" → "abd" + "rahman").
    private static func joinCompounds(_ words: [String]) -> [String] {
        var out: [String] = []
        var pendingLead: String?
        for var word in words {
            if let lead = compoundLeads[word] {
                if let pending = pendingLead { out.append(pending) }
                pendingLead = lead
                continue
            }
            if let glued = gluedLeads.first(where: { word.hasPrefix($0) && word.count > $0.count + 1 }) {
                word = "abd" + word.dropFirst(glued.count)
            } else if word.hasPrefix(abd + arabicArticle), word.count > 5 {
                word = abd + word.dropFirst(5)
            }
            if let pending = pendingLead {
                out.append(pending + word)
                pendingLead = nil
            } else {
                out.append(word)
            }
        }
        if let pending = pendingLead { out.append(pending) }
        return out
    }

    // MARK: - Skeleton

    /// Arabic consonants to their class letter; letters absent here (alef, ayn) are dropped,
    /// waw and ya are handled by position.
    private static let arabicClasses: [Character: Character] = [
        "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "K", "د": "D", "ذ": "D", "ر": "R", "ز": "Z",
        "س": "S", "ش": "X", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z", "غ": "G", "ف": "F", "ق": "K", "ك": "K",
        "ل": "L", "م": "M", "ن": "N", "ه": "H",
    ]
    /// Latin digraphs first, then single letters; vowels map to nothing.
    private static let latinDigraphs: [String: Character] = [
        "kh": "K", "gh": "G", "sh": "X", "ch": "X", "th": "T", "dh": "D", "dj": "J", "ph": "F", "ck": "K",
    ]
    private static let latinClasses: [Character: Character] = [
        "b": "B", "p": "B", "t": "T", "j": "J", "g": "J", "h": "H", "k": "K", "q": "K", "c": "K", "d": "D",
        "r": "R", "z": "Z", "s": "S", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N",
    ]

    /// Long vowels: Latin spellings that are written with waw (U) or ya (I) in Arabic script.
    private static let latinLongVowels: [String: Character] = [
        "ou": "U", "oo": "U", "uu": "U", "ee": "I", "ei": "I", "ey": "I", "ai": "I", "ay": "I", "ii": "I",
    ]

    /// The skeleton of one folded word, e.g. "mohammed" → "MHMD", "فاطمه" → "FTM", "mahmoud" → "MHMUD".
    ///
    /// Vowels count only where both scripts write them: waw and ya inside an Arabic word (U, I),
    /// and in Latin the digraphs that transliterate them ("ou", "ee", "ai", …) and w/y inside a
    /// word. Single Latin vowels and alef are dropped, since Arabic script leaves short vowels
    /// unwritten; a vowel at the end of a word is dropped in both scripts (علي = Ali, عمرو = Amr).
    public static func wordSkeleton(_ word: String) -> String {
        let letters = Array(word)
        var classes: [Character] = []
        var i = 0
        while i < letters.count {
            let letter = letters[i]
            let isLast = i == letters.count - 1
            var cls: Character?
            let pair = i + 1 < letters.count ? String([letter, letters[i + 1]]) : ""
            if let digraph = latinDigraphs[pair] {
                cls = digraph
                i += 1
            } else if let vowel = latinLongVowels[pair] {
                // Final long vowels are dropped; initial ones only for "ai"/"ei" (Aisha = عائشة).
                let isFinal = i + 2 >= letters.count
                cls = isFinal || (i == 0 && vowel == "U") ? nil : vowel
                i += 1
            } else if let mapped = arabicClasses[letter] ?? latinClasses[letter] {
                cls = mapped
            } else if letter == "x" {
                classes.append("K")
                cls = "S"
            } else {
                switch letter {
                case "و", "w": cls = i == 0 ? "W" : isLast ? nil : "U"
                case "ي", "y": cls = i == 0 ? "Y" : isLast ? nil : "I"
                default: cls = nil
                }
            }
            if let cls, classes.last != cls { classes.append(cls) }
            i += 1
        }
        if classes.count > 1, classes.last == "H" { classes.removeLast() }
        return String(classes)
    }
}
