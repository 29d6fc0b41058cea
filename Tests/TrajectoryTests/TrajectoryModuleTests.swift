import Testing
import Trajectory

@Test func trajectoryModuleLinks() {
    #expect(TrajectoryModule.name == "Trajectory")
}
