/// The two JSON examples of docs/reports.md, kept identical to the document.
enum ReportExamples {
    static let full = """
        {
          "schema_version": 1,
          "incident_type": "air_strike",
          "occurred": { "precision": "exact", "value": "2025-11-20T14:30:00Z" },
          "place": {
            "governorate": "حلب",
            "district": "جبل سمعان",
            "locality": "الشعار",
            "coordinates": { "latitude": 36.2021, "longitude": 37.1343, "precision_meters": 500 }
          },
          "counts": {
            "killed": {
              "total": { "at_least": 55 },
              "civilians": { "at_least": 41 },
              "soldiers": 14,
              "children": "unknown"
            },
            "defected": { "total": 8, "soldiers": 8, "male": 8 }
          },
          "victims": [
            {
              "name_arabic": "محمد الأحمد",
              "name_latin": "Muhammad al-Ahmad",
              "father_name": "خالد",
              "sex": "male",
              "age": 34,
              "category": "civilian",
              "outcome": "killed"
            },
            {
              "name_latin": "Rama",
              "sex": "female",
              "age": "child",
              "outcome": "killed",
              "place": { "locality": "الشعار" }
            },
            {
              "name_arabic": "سامر",
              "category": "soldier",
              "affiliation": "الدفاع الجوي",
              "military_rank": "ملازم أول",
              "outcome": "defected"
            }
          ],
          "alleged_perpetrator": "government_forces",
          "narrative": "Two strikes on the market at about 14:30; the second hit people helping the wounded.",
          "evidence": [
            {
              "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
              "media_type": "video/mp4",
              "size": 18350080,
              "capture_time": { "precision": "exact", "value": "2025-11-20T14:41:07Z" },
              "capture_device": "phone camera"
            }
          ]
        }
        """

    static let minimal = """
        {
          "schema_version": 1,
          "incident_type": "shelling",
          "counts": { "killed": { "total": "unknown" } }
        }
        """
}
