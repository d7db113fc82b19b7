/// Common Arabic names with the transliterations reporters actually write, for the synthetic
/// de-duplication set (docs/dedup.md, "Synthetic set"). Near names (محمد/محمود, حسن/حسين,
/// عمر/عامر) are deliberately included: they are where de-duplication goes wrong.
enum SyntheticNames {
    struct Name {
        let arabic: String
        let latin: [String]
    }

    static let male: [Name] = [
        Name(arabic: "محمد", latin: ["Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad"]),
        Name(arabic: "محمود", latin: ["Mahmoud", "Mahmud", "Mahmood"]),
        Name(arabic: "أحمد", latin: ["Ahmad", "Ahmed"]),
        Name(arabic: "حامد", latin: ["Hamid", "Hamed"]),
        Name(arabic: "علي", latin: ["Ali", "Aly"]),
        Name(arabic: "خالد", latin: ["Khaled", "Khalid"]),
        Name(arabic: "عمر", latin: ["Omar", "Umar"]),
        Name(arabic: "عامر", latin: ["Amer", "Aamer"]),
        Name(arabic: "حسن", latin: ["Hassan", "Hasan"]),
        Name(arabic: "حسين", latin: ["Hussein", "Husain", "Hussain", "Husayn"]),
        Name(arabic: "يوسف", latin: ["Youssef", "Yousef", "Yusuf"]),
        Name(arabic: "إبراهيم", latin: ["Ibrahim", "Ebrahim"]),
        Name(arabic: "عبد الله", latin: ["Abdullah", "Abdallah", "Abd Allah"]),
        Name(arabic: "عبد الرحمن", latin: ["Abdulrahman", "Abdul Rahman", "Abd al-Rahman"]),
        Name(arabic: "مصطفى", latin: ["Mustafa", "Moustafa", "Mostafa"]),
        Name(arabic: "سامر", latin: ["Samer", "Sameer"]),
        Name(arabic: "سمير", latin: ["Samir", "Sameer"]),
        Name(arabic: "وليد", latin: ["Walid", "Waleed"]),
        Name(arabic: "أيمن", latin: ["Ayman", "Aymen"]),
        Name(arabic: "أسامة", latin: ["Osama", "Usama", "Oussama"]),
        Name(arabic: "قاسم", latin: ["Qassem", "Kassem", "Qasim"]),
        Name(arabic: "رامي", latin: ["Rami", "Ramy"]),
        Name(arabic: "مروان", latin: ["Marwan"]),
        Name(arabic: "سعيد", latin: ["Saeed", "Said", "Saied"]),
        Name(arabic: "غسان", latin: ["Ghassan"]),
        Name(arabic: "بلال", latin: ["Bilal", "Belal"]),
        Name(arabic: "فادي", latin: ["Fadi", "Fady"]),
        Name(arabic: "ياسر", latin: ["Yasser", "Yaser"]),
        Name(arabic: "عثمان", latin: ["Othman", "Uthman", "Osman"]),
        Name(arabic: "جمال", latin: ["Jamal", "Gamal"]),
    ]

    static let female: [Name] = [
        Name(arabic: "فاطمة", latin: ["Fatima", "Fatma", "Fatimah"]),
        Name(arabic: "عائشة", latin: ["Aisha", "Aysha", "Aicha"]),
        Name(arabic: "مريم", latin: ["Maryam", "Mariam", "Meryem"]),
        Name(arabic: "زينب", latin: ["Zainab", "Zeinab", "Zaynab"]),
        Name(arabic: "نور", latin: ["Nour", "Noor", "Nur"]),
        Name(arabic: "رنا", latin: ["Rana"]),
        Name(arabic: "هبة", latin: ["Heba", "Hiba"]),
        Name(arabic: "ياسمين", latin: ["Yasmin", "Yasmine", "Yasmeen"]),
        Name(arabic: "سارة", latin: ["Sara", "Sarah"]),
        Name(arabic: "خديجة", latin: ["Khadija", "Khadijah"]),
        Name(arabic: "آمنة", latin: ["Amina", "Amna", "Aminah"]),
        Name(arabic: "ريم", latin: ["Reem", "Rim"]),
        Name(arabic: "لينا", latin: ["Lina", "Leena"]),
        Name(arabic: "دعاء", latin: ["Doaa", "Duaa"]),
        Name(arabic: "سلمى", latin: ["Salma", "Selma"]),
    ]

    static let family: [Name] = [
        Name(arabic: "الأحمد", latin: ["al-Ahmad", "Al Ahmad", "el-Ahmed"]),
        Name(arabic: "الحسن", latin: ["al-Hassan", "Al Hasan"]),
        Name(arabic: "الخطيب", latin: ["al-Khatib", "el-Khatib", "Alkhatib"]),
        Name(arabic: "الحلبي", latin: ["al-Halabi", "Halabi"]),
        Name(arabic: "الشامي", latin: ["al-Shami", "ash-Shami", "Shami"]),
        Name(arabic: "المصري", latin: ["al-Masri", "el-Masry"]),
        Name(arabic: "العلي", latin: ["al-Ali", "Al Ali"]),
        Name(arabic: "النجار", latin: ["al-Najjar", "an-Najjar", "Najjar"]),
        Name(arabic: "الحمصي", latin: ["al-Homsi", "Homsi"]),
        Name(arabic: "درويش", latin: ["Darwish", "Darweesh"]),
        Name(arabic: "قاسم", latin: ["Qassem", "Kassem"]),
        Name(arabic: "حداد", latin: ["Haddad"]),
        Name(arabic: "سليمان", latin: ["Sulaiman", "Suleiman", "Sleiman"]),
        Name(arabic: "الزعبي", latin: ["al-Zoubi", "al-Zu'bi", "Zoubi"]),
        Name(arabic: "الرفاعي", latin: ["al-Rifai", "Rifai"]),
        Name(arabic: "حمدان", latin: ["Hamdan"]),
        Name(arabic: "عيسى", latin: ["Issa", "Eissa"]),
        Name(arabic: "الجاسم", latin: ["al-Jassem", "Jasem"]),
        Name(arabic: "الحريري", latin: ["al-Hariri", "Hariri"]),
        Name(arabic: "العمر", latin: ["al-Omar", "Al Omar"]),
        Name(arabic: "الصالح", latin: ["al-Saleh", "as-Saleh", "Saleh"]),
        Name(arabic: "الحسين", latin: ["al-Hussein", "Al Husain"]),
        Name(arabic: "البكري", latin: ["al-Bakri", "Bakri"]),
        Name(arabic: "الدرويش", latin: ["al-Darwish"]),
        Name(arabic: "المحمد", latin: ["al-Mohammad", "Al Muhammad"]),
    ]

    static let governorates = ["حلب", "حمص", "حماة", "إدلب", "دير الزور", "درعا", "دمشق", "ريف دمشق", "الرقة", "اللاذقية"]
    static let localities = ["الشعار", "باب النيرب", "الوعر", "كفرنبل", "الميادين", "بصرى", "جوبر", "دوما", "الطبقة", "جبلة", "سراقب", "تلبيسة"]
    static let unidentified = ["مجهول الهوية", "Unknown", "طفل مجهول", "unidentified woman"]
}
