/// A horizontal bar chart drawn as inline SVG by the templates: one row per item, a label, a bar
/// whose length is proportional to the value, and the value itself, so the chart reads without
/// colour and without JavaScript. Right-to-left pages mirror it.
struct DashboardChart {
    struct Item {
        var label: String
        var value: UInt64
        /// Where the bar links to (a filtered dashboard or a figure), if anywhere.
        var link: String?
    }

    static let width = 640
    static let rowHeight = 24
    static let labelWidth = 180
    static let barSpace = 380

    let title: String
    let items: [Item]
    let rightToLeft: Bool

    /// The template context: `title`, `height`, `width`, `rows` (each with `label`, `value`,
    /// `labelX`, `anchor`, `barX`, `barWidth`, `valueX`, `y`, `textY`, `link`).
    var context: [String: Any] {
        let largest = max(items.map(\.value).max() ?? 0, 1)
        let rows: [[String: Any]] = items.enumerated().map { index, item in
            let length = Int((Double(item.value) / Double(largest) * Double(Self.barSpace)).rounded(.up))
            let y = index * Self.rowHeight
            let barStart = Self.labelWidth + 8
            // The SVG itself is laid out left to right (`direction: ltr`); text anchors are absolute.
            let labelX = rightToLeft ? Self.width - 4 : Self.labelWidth - 4
            let barX = rightToLeft ? Self.width - barStart - length : barStart
            let valueX = rightToLeft ? barX - 4 : barX + length + 4
            var row: [String: Any] = [
                "label": item.label, "value": String(item.value), "y": y + 4, "textY": y + 17, "barWidth": length,
                "labelX": labelX, "anchor": "end",
                "barX": barX, "valueX": valueX, "valueAnchor": rightToLeft ? "end" : "start",
            ]
            if let link = item.link { row["barLink"] = link }
            return row
        }
        return ["title": title, "width": Self.width, "height": max(items.count, 1) * Self.rowHeight + 8, "rows": rows, "empty": items.isEmpty]
    }
}
