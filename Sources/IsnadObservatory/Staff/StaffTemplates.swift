import Mustache

/// The staff pages' templates: plain HTML, no JavaScript; Mustache escapes every `{{value}}`.
enum StaffTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>{{title}} · Isnad observatory staff</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:start;vertical-align:top}
        form.inline{display:inline}.error{color:#a00}nav form{display:inline}</style></head><body>
        {{#staff}}<nav><a href="/observatory/staff/">Queue</a> · <a href="/observatory/staff/victims">Victim pairs</a> ·
        signed in as <strong>{{staff}}</strong>
        <form method="post" action="/observatory/staff/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button>Sign out</button></form></nav>{{/staff}}
        <h1>{{title}}</h1>
        {{{content}}}
        </body></html>
        """

    static let login = """
        {{#failed}}<p class="error">The name or the passphrase is wrong.</p>{{/failed}}
        <form method="post" action="/observatory/staff/login">
        <p><label>Name <input name="name" autocomplete="username" required></label></p>
        <p><label>Passphrase <input name="passphrase" type="password" autocomplete="current-password" required></label></p>
        <p><button>Sign in</button></p></form>
        """

    static let queue = """
        <form method="post" action="/observatory/staff/publish"><input type="hidden" name="csrf" value="{{csrf}}">
        <button>Publish a tally snapshot from the verified reports</button></form>
        {{#published}}<p>Published snapshot {{sequence}}, hash <code>{{hash}}</code>.</p>{{/published}}
        <table><tr><th>Report</th><th>State</th><th>Being reviewed by</th><th>Type</th><th>Occurred</th><th>Victims</th></tr>
        {{#reports}}<tr><td><a href="/observatory/staff/reports/{{id}}"><code>{{id}}</code></a></td><td>{{state}}{{#evidence}}, evidence seen{{/evidence}}</td>
        <td>{{claimedBy}}</td><td>{{type}}</td><td>{{occurred}}</td><td>{{victims}}</td></tr>{{/reports}}
        </table>{{^reports}}<p>No accepted reports.</p>{{/reports}}
        """

    static let report = """
        <p>Submission <code>{{id}}</code>, commitment <code>{{commitment}}</code>. State: <strong>{{state}}</strong>
        {{#claimedBy}} · being reviewed by {{claimedBy}}{{/claimedBy}}{{#evidence}} · evidence seen{{/evidence}}</p>
        {{#verdict}}<p>Latest verdict: {{action}} by {{by}} at {{at}}: {{note}}</p>{{/verdict}}
        <h2>Content</h2><dl><dt>Type</dt><dd>{{type}}</dd><dt>Occurred</dt><dd>{{occurred}}</dd><dt>Place</dt><dd>{{place}}</dd>
        <dt>Perpetrator</dt><dd>{{perpetrator}}</dd><dt>Narrative</dt><dd dir="auto">{{narrative}}</dd><dt>Evidence files</dt><dd>{{evidenceCount}}</dd></dl>
        <h2>Victims</h2><table><tr><th>Record</th><th>Name</th><th>Details</th></tr>
        {{#victims}}<tr><td><code>#{{index}}</code></td><td dir="auto">{{name}}</td><td>{{details}}</td></tr>{{/victims}}</table>
        <h2>Decide</h2>
        <form method="post" action="/observatory/staff/reports/{{id}}/decisions"><input type="hidden" name="csrf" value="{{csrf}}">
        <p><label>Note <input name="note" size="60"></label></p>
        <p><button name="action" value="claim">Claim</button> <button name="action" value="verify">Verify</button>
        <button name="action" value="reject">Reject</button> <button name="action" value="evidence-seen">Evidence seen</button></p></form>
        """

    static let victims = """
        <p>Pairs of victim records in verified reports that de-duplication leaves to a person, highest score first.</p>
        <table><tr><th>First</th><th>Second</th><th>Why</th><th>Decision</th></tr>
        {{#pairs}}<tr><td dir="auto">{{firstName}}</td><td dir="auto">{{secondName}}</td><td>{{reason}}: {{reasons}}</td><td>
        <form method="post" action="/observatory/staff/victims"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="first" value="{{first}}"><input type="hidden" name="second" value="{{second}}">
        <button name="verdict" value="same">Same person</button> <button name="verdict" value="different">Different people</button></form></td></tr>{{/pairs}}
        </table>{{^pairs}}<p>No pairs to decide.</p>{{/pairs}}
        """

    /// The parsed library; the templates are constants, so a parse failure is a bug caught by the tests.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("queue", queue), ("report", report), ("victims", victims)] {
            if let template = try? MustacheTemplate(string: text) { library.register(template, named: name) }
        }
        return library
    }()

    /// Renders `name` with `values`, inside the layout.
    static func page(_ name: String, title: String, staff: String?, csrf: String?, _ values: [String: Any]) -> String {
        var values = values
        values["csrf"] = csrf
        let content = library.render(values, withTemplate: name) ?? ""
        var outer: [String: Any] = ["title": title, "content": content]
        if let staff { outer["staff"] = staff }
        if let csrf { outer["csrf"] = csrf }
        return library.render(outer, withTemplate: "layout") ?? ""
    }
}
