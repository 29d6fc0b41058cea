import Testing
import Tokenizers

@Test func tokenizersModuleLinks() {
    #expect(TokenizersModule.name == "Tokenizers")
}
