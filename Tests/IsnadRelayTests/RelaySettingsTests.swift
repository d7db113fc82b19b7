import Foundation
import IsnadRelay
import Testing

@Suite("Relay settings: flags > environment > file > defaults")
struct RelaySettingsTests {
    static let file = Data(#"""
        {"host": "0.0.0.0", "port": 8000, "data": "/srv/isnad", "postgres": "postgres://file@db/isnad",
         "retention_days": 7, "tls_cert": "/etc/isnad/cert.pem", "tls_key": "/etc/isnad/key.pem",
         "max_attachment_size": 1048576}
        """#.utf8)

    @Test("each setting comes from the first source that has it")
    func precedence() throws {
        let file = try RelaySettings(json: Self.file)
        #expect(file == RelaySettings(host: "0.0.0.0", port: 8000, data: "/srv/isnad", postgres: "postgres://file@db/isnad",
                                      retentionDays: 7, tlsCert: "/etc/isnad/cert.pem", tlsKey: "/etc/isnad/key.pem", maxAttachmentSize: 1_048_576))
        let environment = try RelaySettings(environment: ["ISNAD_PORT": "9000", "ISNAD_DATA": "/env/data", "ISNAD_TLS_KEY": "/env/key.pem", "HOME": "/root"])
        let flags = RelaySettings(port: 9100, tlsKey: "/flag/key.pem")
        let settings = flags.overriding(environment).overriding(file)
        #expect(settings.port == 9100)                          // flag over environment and file
        #expect(settings.tlsKey == "/flag/key.pem")
        #expect(settings.data == "/env/data")                   // environment over file
        #expect(settings.host == "0.0.0.0")                     // file where nothing else says
        #expect(settings.retentionDays == 7)
        #expect(settings.tlsCert == "/etc/isnad/cert.pem")
        #expect(settings.maxAttachmentSize == 1_048_576)
        #expect(try RelaySettings(environment: ["ISNAD_MAX_ATTACHMENT_SIZE": "2048"]).overriding(file).maxAttachmentSize == 2048)
        // Without any source, nothing is set: the command falls back to its defaults.
        #expect(RelaySettings().overriding(try RelaySettings(environment: [:])).overriding(try RelaySettings(json: Data("{}".utf8))) == RelaySettings())
    }

    @Test("an unknown key in the file is an error that names it")
    func unknownKey() throws {
        let error = try #require(throws: RelayError.self) {
            try RelaySettings(json: Data(#"{"port": 8000, "retention_dayz": 7}"#.utf8))
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("“retention_dayz”"))
    }

    @Test("a value of the wrong type, a file that is no JSON object, a non-numeric variable are errors")
    func wrongTypes() throws {
        for json in [#"{"port": "8000"}"#, #"{"port": true}"#, #"{"port": 80.5}"#, #"{"host": 1}"#, #"[1]"#, "not json"] {
            #expect(throws: RelayError.self, "\(json)") { try RelaySettings(json: Data(json.utf8)) }
        }
        let error = try #require(throws: RelayError.self) { try RelaySettings(environment: ["ISNAD_PORT": "http"]) }
        #expect(error.message.contains("ISNAD_PORT"))
        #expect(throws: RelayError.self) { try RelaySettings(environment: ["ISNAD_MAX_ATTACHMENT_SIZE": "100MiB"]) }
        #expect(throws: RelayError.self) { try RelaySettings(json: Data(#"{"max_attachment_size": "big"}"#.utf8)) }
        let typed = try #require(throws: RelayError.self) { try RelaySettings(json: Data(#"{"tls_cert": 5}"#.utf8)) }
        #expect(typed.message.contains("“tls_cert”"))
    }
}
