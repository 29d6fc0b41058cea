import Testing
@testable import Evaluation

@Suite struct NameListTests {
    @Test func splitsOnCommasAndTrimsEachName() {
        #expect(NameList(parsing: "jnli, jsquad ,niilc").names == ["jnli", "jsquad", "niilc"])
        #expect(NameList(parsing: "NLI,,QA,").names == ["NLI", "QA"])
        #expect(NameList(parsing: "").names.isEmpty)
    }
}
