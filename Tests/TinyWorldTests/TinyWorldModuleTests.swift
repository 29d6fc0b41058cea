import Testing
import TinyWorld

@Test func tinyworldModuleLinks() {
    #expect(TinyWorldModule.name == "TinyWorld")
}
