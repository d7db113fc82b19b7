import IsnadWire
import Testing

@testable import IsnadObservatory

@Suite("Name normalisation")
struct DedupNameTests {
    @Test("Spellings of Muhammad in both scripts share one skeleton", arguments: [
        "محمد", "مُحَمَّد", "مـحـمـد", "Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muḥammad", "MOHAMAD",
    ])
    func muhammad(_ spelling: String) {
        #expect(NameNormalization.skeleton(spelling) == "MHMD")
    }

    @Test("Arabic folding: hamza forms of alef, alef maqsura, ta marbuta, tatweel, tashkeel, controls")
    func arabicFolding() {
        #expect(NameNormalization.fold("أحمد") == "احمد")
        #expect(NameNormalization.fold("إبراهيم") == "ابراهيم")
        #expect(NameNormalization.fold("آمنة") == "امنه")
        #expect(NameNormalization.fold("مصطفى") == "مصطفي")
        #expect(NameNormalization.fold("فاطمة") == NameNormalization.fold("فاطمه"))
        #expect(NameNormalization.fold("عائشة") == "عايشه")
        #expect(NameNormalization.fold("مُحَمَّـــد\u{200F}") == "محمد")
        #expect(NameNormalization.fold("سؤدد") == "سودد")
        // Presentation forms (as some keyboards and PDFs produce) fold to the base letters.
        #expect(NameNormalization.fold("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}") == "محمد")
    }

    @Test("Articles, particles and compounds", arguments: [
        ("الأحمد", ["احمد"]),
        ("Muhammad al-Ahmad", ["muhammad", "ahmad"]),
        ("Nour ad-Din", ["nour", "din"]),
        ("Khalid bin Walid", ["khalid", "walid"]),
        ("عبد الله", ["عبدله"]),
        ("عبدالله", ["عبدله"]),
        ("Abdul Rahman", ["abdrahman"]),
        ("Abd al-Rahman", ["abdrahman"]),
        ("Abdulrahman", ["abdrahman"]),
        ("Abu Bakr", ["abubakr"]),
    ])
    func tokens(_ name: String, _ expected: [String]) {
        #expect(NameNormalization.tokens(name) == expected)
    }

    @Test("Transliterations meet their Arabic spelling", arguments: [
        ("أحمد", "Ahmed"), ("خالد", "Khaled"), ("عمر", "Omar"), ("حسين", "Hussein"), ("حسين", "Husayn"),
        ("يوسف", "Youssef"), ("فاطمة", "Fatima"), ("زينب", "Zainab"), ("زينب", "Zeinab"), ("مصطفى", "Mostafa"),
        ("قاسم", "Kassem"), ("عبد الله", "Abdullah"), ("عبد الرحمن", "Abdulrahman"), ("رمضان", "Ramadan"),
        ("غسان", "Ghassan"), ("شادي", "Chadi"), ("أسامة", "Oussama"), ("محمود", "Mahmoud"), ("سعيد", "Saeed"),
        ("عائشة", "Aisha"), ("أيمن", "Ayman"), ("علي", "Ali"), ("مروان", "Marwan"), ("نور", "Noor"),
    ])
    func transliterations(_ arabic: String, _ latin: String) {
        #expect(NameNormalization.skeleton(arabic) == NameNormalization.skeleton(latin))
    }

    /// Single Latin vowels are ambiguous (the i of Ibrahim is written in Arabic script, the i of
    /// Khalid is not), so these differ by one vowel class and meet through Jaro–Winkler instead.
    @Test("Transliterations with an unwritten long vowel stay close", arguments: [
        ("إبراهيم", "Ibrahim"), ("الخطيب", "el-Khatib"), ("وليد", "Walid"), ("يوسف", "Yusuf"), ("محمود", "Mahmud"),
    ])
    func nearTransliterations(_ arabic: String, _ latin: String) {
        let a = NameNormalization.skeleton(arabic), b = NameNormalization.skeleton(latin)
        #expect(a != b)
        #expect(JaroWinkler.similarity(a, b) >= 0.9)
    }

    @Test("Different names keep different skeletons", arguments: [
        ("محمد", "محمود"), ("Muhammad", "Mahmoud"), ("Khaled", "Walid"), ("Hassan", "Hussein"), ("حسن", "حسين"),
        ("Ahmad", "Ali"), ("زينب", "Zainab Ahmad"),
    ])
    func different(_ a: String, _ b: String) {
        #expect(NameNormalization.skeleton(a) != NameNormalization.skeleton(b))
    }

    @Test("Jaro-Winkler: textbook values")
    func jaroWinkler() {
        // Winkler (1990) / the usual reference values.
        #expect(abs(JaroWinkler.similarity("MARTHA", "MARHTA") - 0.9611) < 0.0001)
        #expect(abs(JaroWinkler.similarity("DIXON", "DICKSONX") - 0.8133) < 0.0001)
        #expect(abs(JaroWinkler.similarity("DWAYNE", "DUANE") - 0.84) < 0.0001)
        #expect(JaroWinkler.similarity("", "") == 0)
        #expect(JaroWinkler.similarity("ABC", "XYZ") == 0)
        #expect(JaroWinkler.similarity("محمد", "محمد") == 1)
    }

    @Test("Governorates in both scripts meet through the gazetteer")
    func gazetteer() {
        let gazetteer = Gazetteer([
            Gazetteer.Entry(code: "G02", name: "Aleppo", aliases: ["حلب", "Halab"]),
        ])
        #expect(gazetteer.governorate("حَلَب").code == "G02")
        #expect(gazetteer.governorate("ALEPPO").name == "Aleppo")
        #expect(gazetteer.governorate("Homs").code == nil)
        #expect(gazetteer.governorate("Homs").key == gazetteer.governorate("homs ").key)
        #expect(!gazetteer.governorate(" ").isKnown)
        #expect(!gazetteer.governorate(nil).isKnown)
    }
}
