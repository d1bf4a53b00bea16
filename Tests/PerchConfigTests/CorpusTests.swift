import Foundation
import PerchConfig
import PerchTestKit
import Testing

/// Every `Corpus/NN-name.yaml` is invalid; `NN-name.expected` holds the exact
/// error lines, the file named by its base name.
@Suite struct CorpusTests {
    static let corpusDirectory = Bundle.module.url(forResource: "Corpus", withExtension: nil)

    static var caseNames: [String] {
        guard let directory = corpusDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func corpusHasAtLeastTwentyFiveFiles() {
        #expect(Self.caseNames.count >= 25)
    }

    @Test(arguments: caseNames)
    func badFileGivesExactlyTheExpectedErrors(_ name: String) throws {
        let directory = try #require(Self.corpusDirectory)
        let yaml = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let expectedURL = directory.appendingPathComponent(String(name.dropLast(".yaml".count)) + ".expected")
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)

        let errors = thrownError(ConfigurationErrors.self) {
            try ConfigurationLoader.deterministic().load(yaml: yaml, fileName: name)
        }
        let actual = errors?.errors.map(\.description) ?? []
        #expect(actual == expected, "\(name):\n\(actual.joined(separator: "\n"))")
    }
}
