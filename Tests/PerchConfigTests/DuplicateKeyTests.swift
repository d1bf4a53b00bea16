import PerchConfig
import Testing

/// Duplicate keys are reported at the later occurrence, with the key path,
/// and the rest of the file is still checked.
@Suite struct DuplicateKeyTests {
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: "d.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func quotedDuplicateInsideAListIsFound() {
        let yaml = """
            uplink: { url: mqtt://h }
            gpio:
              pins:
                - { "name": a, line: 1, "name": b, direction: sideways }
            """
        #expect(errors(yaml) == [
            #"d.yaml:4:29: gpio.pins[0].name: duplicate key "name" (first defined at 4:9)"#,
            #"d.yaml:4:51: gpio.pins[0].direction: expected one of input, output, got "sideways""#,
        ])
    }

    @Test func threeOccurrencesGiveTwoErrorsAndOtherErrorsStillShow() {
        let yaml = """
            uplink:
              url: mqtt://h
              keepalive: 1s
              keepalive: 2s
              keepalive: 3s
              clean_start: perhaps
            """
        #expect(errors(yaml) == [
            #"d.yaml:5:3: uplink.keepalive: duplicate key "keepalive" (first defined at 3:3)"#,
            #"d.yaml:5:3: uplink.keepalive: duplicate key "keepalive" (first defined at 4:3)"#,
            #"d.yaml:6:16: uplink.clean_start: expected true or false, got "perhaps""#,
        ])
    }

    @Test func secondDocumentIsASyntaxError() {
        let found = errors("uplink: { url: mqtt://h }\n---\nlog: { level: info }\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("d.yaml:2:1: YAML syntax error: ") == true)
    }

    @Test func tabIndentationIsASyntaxErrorWithPosition() {
        let found = errors("uplink:\n\turl: mqtt://h\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("d.yaml:2:1: YAML syntax error: ") == true)
    }
}

extension DuplicateKeyTests {
    @Test func positionsInMessagesAreThoseOfTheFileAsWritten() {
        let yaml = """
            uplink: { url: mqtt://h, url: mqtt://g, password: a, password_file: /etc/perch/present.password }
            """
        #expect(errors(yaml) == [
            #"d.yaml:1:26: uplink.url: duplicate key "url" (first defined at 1:11)"#,
            #"d.yaml:1:69: uplink.password_file: set either password or password_file, not both (password is at 1:51)"#,
        ])
    }
}
