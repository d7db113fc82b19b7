import Mustache

/// The dashboard's Mustache templates and its style sheet. Every `{{value}}` is HTML-escaped by
/// swift-mustache (`<`, `>`, `&`, `"`, `'`); nothing is inserted unescaped (`{{{…}}}` is not used).
enum DashboardTemplates {
    /// The library of the page templates and their partials.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        let sources = ["head": head, "chart": chart, "dashboard": dashboard, "snapshot": snapshot, "figures": figures]
        for (name, text) in sources {
            // The templates are constants of this file; a parse error is a bug that every test shows.
            if let template = try? MustacheTemplate(string: text) { library.register(template, named: name) }
        }
        return library
    }()

    static let head = """
    <!DOCTYPE html>
    <html lang="{{lang}}" dir="{{dir}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{pageTitle}}</title>
    <link rel="alternate" type="application/atom+xml" title="{{l.feed}}" href="{{base}}/snapshots.atom">
    <style>{{css}}</style>
    </head>
    <body>
    <header><p class="site"><a href="{{base}}/dashboard?lang={{lang}}">{{l.title}}</a></p>
    <p class="switch"><a href="{{switchLink}}" lang="{{otherLang}}" hreflang="{{otherLang}}">{{l.language_switch}}</a></p></header>
    """

    static let chart = """
    <figure class="chart" id="{{id}}">
    <figcaption>{{title}}</figcaption>
    {{^empty}}<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{{title}}" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" style="direction:ltr">
    {{#rows}}<g class="bar">{{#barLink}}<a href="{{barLink}}">{{/barLink}}<text x="{{labelX}}" y="{{textY}}" text-anchor="{{anchor}}">{{label}}</text><rect x="{{barX}}" y="{{y}}" width="{{barWidth}}" height="18"></rect><text class="v" x="{{valueX}}" y="{{textY}}" text-anchor="{{valueAnchor}}">{{value}}</text>{{#barLink}}</a>{{/barLink}}</g>
    {{/rows}}</svg>{{/empty}}
    </figure>
    """

    static let figures = """
    <table class="figures">
    <thead><tr><th>{{l.date}}</th><th>{{l.governorate}}</th><th>{{l.outcome}}</th><th>{{l.at_least}}</th>{{#categories}}<th>{{.}}</th>{{/categories}}<th>{{l.unidentified}}</th><th>{{l.sources}}</th><th>{{l.status_column}}</th>{{#showReports}}<th>{{l.reports}}</th>{{/showReports}}</tr></thead>
    <tbody>
    {{#rows}}<tr id="figure-{{index}}" class="figure" data-figure="{{index}}" data-date="{{date}}" data-governorate="{{governorateKey}}" data-outcome="{{outcomeCode}}">
    <td><span dir="ltr">{{dateShown}}</span></td><td>{{governorate}}</td><td>{{outcome}}</td><td class="n at-least"><a href="{{link}}">{{atLeast}}</a></td>{{#breakdown}}<td class="n">{{.}}</td>{{/breakdown}}<td class="n">{{unidentified}}</td><td class="n sources">{{sources}}</td><td>{{status}}</td>{{#showReports}}<td class="commitments">{{#reports}}<code>{{.}}</code> {{/reports}}</td>{{/showReports}}
    </tr>
    {{/rows}}</tbody>
    </table>
    {{#truncated}}<p class="note">{{l.more}}</p>{{/truncated}}
    """

    static let exports = """
    <p class="exports">{{l.exports}}: <a href="{{snapshotLink}}.csv" type="text/csv">CSV</a> · <a href="{{snapshotLink}}.hxl.csv" type="text/csv">HXL</a> · <a href="{{snapshotLink}}.json" type="application/json">JSON</a> · <a href="{{base}}/snapshots.atom" type="application/atom+xml">{{l.feed}}</a></p>
    """

    static let dashboard = head + """
    <main>
    <h1>{{l.title}}</h1>
    <p class="intro">{{l.intro}}</p>
    {{^latest}}<p class="nothing">{{l.nothing}}</p>{{/latest}}
    {{#latest}}
    <p class="snapshot">{{l.snapshot}} <a href="{{snapshotLink}}?lang={{lang}}" class="sequence">{{sequence}}</a> · {{l.published}} <time dir="ltr" datetime="{{published}}">{{published}}</time> · {{l.log_index}} <a href="{{logLink}}" class="log-index">{{logIndex}}</a><br>{{l.hash}} <code class="hash" dir="ltr">{{hash}}</code></p>
    """ + exports + """
    <form method="get" action="{{base}}/dashboard" class="filter">
    <input type="hidden" name="lang" value="{{lang}}">
    <label>{{l.from}} <input type="date" name="from" value="{{filterFrom}}"></label>
    <label>{{l.to}} <input type="date" name="to" value="{{filterTo}}"></label>
    <label>{{l.outcome}} <select name="outcome">{{#outcomeOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/outcomeOptions}}</select></label>
    <label>{{l.status}} <select name="status">{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select></label>
    <button type="submit">{{l.apply}}</button>
    </form>
    <h2>{{l.totals}}</h2>
    <dl class="totals">{{#totals}}<div data-outcome="{{code}}"><dt>{{label}}</dt><dd class="n">{{value}}</dd></div>{{/totals}}</dl>
    {{#charts}}{{> chart}}{{/charts}}
    <h2>{{l.figures}}</h2>
    {{> figures}}
    {{/latest}}
    {{#hasSnapshots}}<h2>{{l.snapshots}}</h2>
    <ol class="snapshots" reversed>{{#snapshots}}<li><a href="{{link}}?lang={{lang}}">{{l.snapshot}} {{sequence}}</a> · <time dir="ltr" datetime="{{published}}">{{published}}</time> · <code>{{hash}}</code></li>{{/snapshots}}</ol>{{/hasSnapshots}}
    </main>
    </body>
    </html>

    """

    static let snapshot = head + """
    <main>
    <h1>{{l.snapshot_title}} {{sequence}}</h1>
    <dl class="facts">
    <div><dt>{{l.sequence}}</dt><dd class="sequence">{{sequence}}</dd></div>
    <div><dt>{{l.published}}</dt><dd><time dir="ltr" datetime="{{published}}">{{published}}</time></dd></div>
    <div><dt>{{l.hash}}</dt><dd><code class="hash" dir="ltr">{{hash}}</code></dd></div>
    <div><dt>{{l.log_index}}</dt><dd><a href="{{logLink}}" class="log-index">{{logIndex}}</a></dd></div>
    <div><dt>{{l.previous}}</dt><dd>{{#hasPrevious}}<a href="{{previousLink}}" class="previous"><code>{{previousHash}}</code></a>{{/hasPrevious}}{{^hasPrevious}}{{l.none}}{{/hasPrevious}}</dd></div>
    </dl>
    """ + exports + """
    <h2>{{l.figures}}</h2>
    {{> figures}}
    </main>
    </body>
    </html>

    """

    /// Small hand-written CSS: readable type, tables that scroll on phones, bars in one ink.
    static let css = """
    body{font-family:system-ui,"Noto Sans","Noto Sans Arabic",sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem 3rem;line-height:1.5;color:#1b1b1b;background:#fff}
    header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid #ccc}
    a{color:#0b4f8a}code{font-size:.85em;overflow-wrap:anywhere}
    .n{text-align:end;font-variant-numeric:tabular-nums}
    table{border-collapse:collapse;display:block;overflow-x:auto;max-width:100%}
    th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:start;vertical-align:top}
    .totals{display:flex;flex-wrap:wrap;gap:1rem}.totals div{border:1px solid #ccc;padding:.5rem 1rem}.totals dd{margin:0;font-size:1.6rem;font-weight:600}
    .chart svg{max-width:100%;height:auto}.chart rect{fill:#0b4f8a}.chart text{font-size:13px;fill:#1b1b1b}
    .filter{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:1rem 0}.filter label{display:flex;flex-direction:column}
    .facts div{display:flex;gap:1rem}.facts dt{font-weight:600;min-width:12rem}.facts dd{margin:0}
    .commitments code{display:block}
    td span[dir=ltr],time{white-space:nowrap}
    """
}
