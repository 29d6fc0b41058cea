import Testing
import Llama

@Test func llamaModuleLinks() {
    #expect(LlamaModule.name == "Llama")
}
