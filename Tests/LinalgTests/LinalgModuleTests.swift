import Testing
import Linalg

@Test func linalgModuleLinks() {
    #expect(LinalgModule.name == "Linalg")
}
