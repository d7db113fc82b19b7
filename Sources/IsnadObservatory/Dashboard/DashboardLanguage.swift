import IsnadWire

/// The dashboard's languages: English, and Arabic laid out right to left.
public enum DashboardLanguage: String, Sendable, CaseIterable {
    case en
    case ar

    /// From the `lang` query parameter; `nil` for a language the dashboard does not have.
    public init?(query value: String?) {
        guard let value else { self = .en; return }
        self.init(rawValue: value)
    }

    /// The `dir` attribute of the page.
    public var direction: String { self == .ar ? "rtl" : "ltr" }

    /// The other language, for the switch link.
    var other: DashboardLanguage { self == .ar ? .en : .ar }

    /// A label by key; English when a translation is missing.
    func text(_ key: String) -> String {
        (self == .ar ? Self.arabic[key] : nil) ?? Self.english[key] ?? key
    }

    /// The name of an outcome.
    func outcome(_ outcome: Outcome) -> String { text("outcome." + outcome.rawValue) }

    /// The name of a status.
    func status(_ status: TallyStatus) -> String { text("status." + status.rawValue) }

    /// Every label the templates use, by key.
    func labels() -> [String: String] {
        var out: [String: String] = [:]
        for key in Self.english.keys { out[key.replacingOccurrences(of: ".", with: "_")] = text(key) }
        return out
    }

    static let english: [String: String] = [
        "title": "Isnad observatory: documented casualties",
        "snapshot.title": "Snapshot",
        "language.switch": "العربية",
        "nothing": "Nothing has been published yet.",
        "intro": "Figures are lower bounds (\"at least\"), from verified, de-duplicated reports. Every figure rests on signed reports whose commitments are entries of the public transparency log.",
        "snapshot": "Snapshot",
        "published": "Published",
        "hash": "SHA-256 hash",
        "sequence": "Sequence",
        "log.index": "Log entry",
        "previous": "Previous snapshot hash",
        "none": "none (first snapshot)",
        "filter": "Filter",
        "from": "From",
        "to": "To",
        "governorate": "Governorate",
        "outcome": "Outcome",
        "status": "Weakest status shown",
        "status.column": "Status",
        "apply": "Apply",
        "any": "any",
        "totals": "Totals (at least)",
        "chart.time": "Over time",
        "chart.governorate": "By governorate",
        "chart.category": "By category",
        "figures": "Figures",
        "date": "Date",
        "at.least": "At least",
        "sources": "Independent sources",
        "unidentified": "Unidentified",
        "reports": "Report commitments",
        "more": "More figures than shown here; the exports hold all of them.",
        "exports": "Exports",
        "feed": "Atom feed of snapshots",
        "snapshots": "All snapshots",
        "figure.link": "figure",
        "unknown": "unknown",
        "others": "others",
        "category.civilians": "civilians", "category.combatants": "combatants",
        "category.soldiers": "soldiers", "category.defectors": "defectors",
        "outcome.killed": "killed", "outcome.injured": "injured", "outcome.detained": "detained",
        "outcome.disappeared": "disappeared", "outcome.defected": "defected", "outcome.displaced": "displaced",
        "status.single_source": "single source", "status.corroborated": "corroborated",
        "status.verified_with_evidence": "verified with evidence",
    ]

    static let arabic: [String: String] = [
        "title": "مرصد إسناد: الضحايا الموثّقون",
        "snapshot.title": "لقطة",
        "language.switch": "English",
        "nothing": "لم يُنشر شيء بعد.",
        "intro": "الأرقام حدود دنيا («على الأقل») من بلاغات متحقَّق منها وبلا تكرار. يستند كل رقم إلى بلاغات موقَّعة التزاماتها مدخلات في سجل الشفافية العلني.",
        "snapshot": "اللقطة",
        "published": "تاريخ النشر",
        "hash": "بصمة SHA-256",
        "sequence": "الرقم التسلسلي",
        "log.index": "مدخل السجل",
        "previous": "بصمة اللقطة السابقة",
        "none": "لا توجد (أول لقطة)",
        "filter": "تصفية",
        "from": "من",
        "to": "إلى",
        "governorate": "المحافظة",
        "outcome": "الحالة",
        "status": "أضعف درجة توثيق معروضة",
        "status.column": "درجة التوثيق",
        "apply": "تطبيق",
        "any": "الكل",
        "totals": "المجاميع (على الأقل)",
        "chart.time": "عبر الزمن",
        "chart.governorate": "حسب المحافظة",
        "chart.category": "حسب الفئة",
        "figures": "الأرقام",
        "date": "التاريخ",
        "at.least": "على الأقل",
        "sources": "مصادر مستقلة",
        "unidentified": "مجهولو الهوية",
        "reports": "التزامات البلاغات",
        "more": "الأرقام أكثر مما يُعرض هنا؛ الملفات المصدَّرة تحويها كلها.",
        "exports": "التصدير",
        "feed": "موجز Atom للّقطات",
        "snapshots": "كل اللقطات",
        "figure.link": "الرقم",
        "unknown": "غير معروف",
        "others": "غيرها",
        "category.civilians": "مدنيون", "category.combatants": "مقاتلون",
        "category.soldiers": "جنود", "category.defectors": "منشقّون",
        "outcome.killed": "قتلى", "outcome.injured": "جرحى", "outcome.detained": "معتقلون",
        "outcome.disappeared": "مختفون قسرًا", "outcome.defected": "منشقّون", "outcome.displaced": "نازحون",
        "status.single_source": "مصدر واحد", "status.corroborated": "مؤكَّد من مصادر متعددة",
        "status.verified_with_evidence": "موثَّق بأدلة",
    ]
}
