import Testing
@testable import Evaluation

@Suite struct TokenIdsTests {
    @Test func parsesCommaSeparatedIdsWithSpaces() throws {
        #expect(try TokenIds(parsing: "1,2,3").values == [1, 2, 3])
        #expect(try TokenIds(parsing: " 7 , 0").values == [7, 0])
    }

    @Test func refusesEmptyNegativeAndNonNumericParts() {
        for text in ["", "1,,2", "1,x", "-1", "1,2,"] {
            #expect(throws: EvaluationError.self, "\(text)") { try TokenIds(parsing: text) }
        }
    }
}
