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

    @Test("rate limits, the idle and write timeouts and the log level come from the file, the environment or flags; `off` turns a limit off")
    func limits() throws {
        let file = try RelaySettings(json: Data(#"{"address_rate_limit": "off", "device_rate_limit": "0.5:10", "idle_timeout": 15, "write_timeout": 20}"#.utf8))
        #expect(file.addressRateLimit == .off)
        #expect(file.deviceRateLimit == .limit(RateLimit(perSecond: 0.5, burst: 10)))
        #expect(file.idleTimeout == 15)
        #expect(file.writeTimeout == 20)
        let environment = try RelaySettings(environment: ["ISNAD_ADDRESS_RATE_LIMIT": "300:1000", "ISNAD_IDLE_TIMEOUT": "5", "ISNAD_WRITE_TIMEOUT": "7.5"])
        let flags = RelaySettings(deviceRateLimit: try RateLimitSetting("OFF", source: "--device-rate-limit"))
        let settings = flags.overriding(environment).overriding(file)
        #expect(settings.addressRateLimit == .limit(RateLimit(perSecond: 300, burst: 1000)))   // environment over file
        #expect(settings.deviceRateLimit == .off)                                              // flag over file
        #expect(settings.idleTimeout == 5)
        #expect(settings.writeTimeout == 7.5)
        #expect(RelaySettings(writeTimeout: 90).overriding(environment).writeTimeout == 90)    // flag over environment
        #expect(RelaySettings().overriding(file).writeTimeout == 20)                            // file where nothing else says
        #expect(settings.addressRateLimit?.rateLimit == RateLimit(perSecond: 300, burst: 1000))
        #expect(settings.deviceRateLimit?.rateLimit == nil)
        #expect(try RelaySettings(environment: [:]).addressRateLimit == nil, "unset is left to the default, not `off`")
        #expect(try RelaySettings(json: Data(#"{"log_level": "debug"}"#.utf8)).overriding(RelaySettings()).logLevel == .debug)
        let queued = try RelaySettings(json: Data(#"{"max_queued_messages": 500}"#.utf8))
        #expect(queued.maxQueuedMessages == 500)
        #expect(try RelaySettings(environment: ["ISNAD_MAX_QUEUED_MESSAGES": "20"]).overriding(queued).maxQueuedMessages == 20)
        #expect(try RelaySettings(json: Data(#"{"identity_rate_limit": "off"}"#.utf8)).identityRateLimit == .off)
        #expect(try RelaySettings(environment: ["ISNAD_IDENTITY_RATE_LIMIT": "2:8"]).identityRateLimit == .limit(RateLimit(perSecond: 2, burst: 8)))
        #expect(try RelaySettings(environment: ["ISNAD_LOG_LEVEL": "WARNING"]).overriding(try RelaySettings(json: Data(#"{"log_level": "debug"}"#.utf8))).logLevel == .warning)
    }

    @Test("a rate that is not `off` or a positive REQUESTS_PER_SECOND:BURST is an error naming its source")
    func badRates() throws {
        for text in ["", "20", "20:", ":200", "20:200:1", "0:200", "-1:200", "20:0", "20:0.5", "inf:10", "nan:10", "20/200", "twenty:200", "on"] {
            let error = try #require(throws: RelayError.self, "“\(text)”") { try RateLimitSetting(text, source: "--device-rate-limit") }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.hasPrefix("--device-rate-limit must be “off” or REQUESTS_PER_SECOND:BURST"), "\(error.message)")
        }
        let environment = try #require(throws: RelayError.self) { try RelaySettings(environment: ["ISNAD_ADDRESS_RATE_LIMIT": "fast"]) }
        #expect(environment.message.contains("ISNAD_ADDRESS_RATE_LIMIT") && environment.message.contains("“fast”"))
        let file = try #require(throws: RelayError.self) { try RelaySettings(json: Data(#"{"device_rate_limit": "5"}"#.utf8)) }
        #expect(file.message.contains("“device_rate_limit” in the configuration file"))
        let typed = try #require(throws: RelayError.self) { try RelaySettings(json: Data(#"{"address_rate_limit": 100}"#.utf8)) }
        #expect(typed.message.contains("“address_rate_limit”"))
        let timeout = try #require(throws: RelayError.self) { try RelaySettings(environment: ["ISNAD_IDLE_TIMEOUT": "soon"]) }
        #expect(timeout.message.contains("ISNAD_IDLE_TIMEOUT"))
        let writeTimeout = try #require(throws: RelayError.self) { try RelaySettings(environment: ["ISNAD_WRITE_TIMEOUT": "1m"]) }
        #expect(writeTimeout.message == "ISNAD_WRITE_TIMEOUT must be a number, not “1m”.")
        let writeTyped = try #require(throws: RelayError.self) { try RelaySettings(json: Data(#"{"write_timeout": "60"}"#.utf8)) }
        #expect(writeTyped.message.contains("“write_timeout”"))
        let level = try #require(throws: RelayError.self) { try RelaySettings(json: Data(#"{"log_level": "loud"}"#.utf8)) }
        #expect(level.message.contains("“log_level” in the configuration file must be one of trace, debug, info"))
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
