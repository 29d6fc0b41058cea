import Testing
import SafeTensors

@Test func safetensorsModuleLinks() {
    #expect(SafeTensorsModule.name == "SafeTensors")
}
