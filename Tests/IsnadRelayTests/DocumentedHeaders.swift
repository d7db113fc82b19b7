import Foundation
import HTTPTypes
import Testing

/// The response headers docs/openapi.yaml promises for one operation and status, read line by
/// line (paths at two spaces, methods at four, responses at eight, headers at twelve; a
/// `$ref` to `#/components/headers/NAME` is followed), so a test can hold a reply to them.
struct DocumentedHeader: CustomStringConvertible {
    let name: String
    let isRequired: Bool
    /// The schema's `pattern`, if any.
    let pattern: String?
    /// The schema's `const`, if any.
    let constant: String?

    var description: String { name }

    static func headers(_ method: String, _ path: String, status: String) throws -> [DocumentedHeader] {
        let lines = try String(contentsOf: OpenAPIDocumentTests.documentURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let operation = try #require(block(in: lines, path: ["  \(path):", "    \(method):", "      responses:", "        \"\(status)\":", "          headers:"]),
                                     "docs/openapi.yaml documents no headers for \(method.uppercased()) \(path) \(status)")
        return try operation.compactMap { line -> DocumentedHeader? in
            guard line.hasPrefix("            "), !line.hasPrefix("             "), let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[line.index(line.startIndex, offsetBy: 12)..<colon].trimmingCharacters(in: .whitespaces)
            let inline = String(line[line.index(after: colon)...])
            let body: [String]
            if let ref = value(of: "$ref", in: inline) {
                let component = try #require(ref.split(separator: "/").last.map(String.init))
                body = Array(try #require(block(in: lines, path: ["components:", "  headers:", "    \(component):"]), "no component header \(component)"))
            } else {
                body = Array(block(in: lines, path: ["  \(path):", "    \(method):", "      responses:", "        \"\(status)\":", "          headers:", "            \(name):"]) ?? [])
            }
            let text = body.joined(separator: "\n")
            return DocumentedHeader(name: name, isRequired: text.contains("required: true"), pattern: value(of: "pattern", in: text),
                                    constant: value(of: "const", in: text))
        }
    }

    /// The lines nested under a chain of keys, each found after the previous one.
    static func block(in lines: [String], path: [String]) -> ArraySlice<String>? {
        var start = 0
        var indent = -1
        for key in path {
            guard let found = lines[start...].firstIndex(where: { $0 == key }) else { return nil }
            indent = key.prefix(while: { $0 == " " }).count
            start = found + 1
        }
        let end = lines[start...].firstIndex { line in
            !line.trimmingCharacters(in: .whitespaces).isEmpty && line.prefix(while: { $0 == " " }).count <= indent
        } ?? lines.endIndex
        return lines[start..<end]
    }

    /// `key: value` inside a flow mapping (`{ key: "v", … }`); quotes removed, `\\` unescaped.
    static func value(of key: String, in text: String) -> String? {
        guard let range = text.range(of: "\(key): ") else { return nil }
        let rest = text[range.upperBound...]
        if rest.hasPrefix("\"") {
            let quoted = rest.dropFirst()
            guard let close = quoted.firstIndex(of: "\"") else { return nil }
            return quoted[..<close].replacingOccurrences(of: "\\\\", with: "\\")
        }
        return String(rest.prefix { $0 != "," && $0 != "}" && $0 != "\n" }).trimmingCharacters(in: .whitespaces)
    }

    /// Checks that `reply` carries every required header documented for its status, in the documented form.
    static func expect(_ reply: Reply, _ method: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let documented = try headers(method, path, status: String(reply.status.code))
        #expect(!documented.isEmpty, sourceLocation: sourceLocation)
        for header in documented {
            let name = try #require(HTTPField.Name(header.name))
            let value = reply.headers[name]
            if header.isRequired {
                #expect(value != nil, "\(header.name) is documented as required for \(reply.status.code)", sourceLocation: sourceLocation)
            }
            guard let value else { continue }
            if let pattern = header.pattern {
                #expect(try Regex(pattern).wholeMatch(in: value) != nil, "\(header.name): \(value) !~ \(pattern)", sourceLocation: sourceLocation)
            }
            if let constant = header.constant {
                #expect(value == constant, "\(header.name)", sourceLocation: sourceLocation)
            }
        }
    }
}
