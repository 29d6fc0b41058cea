// The Trajectory layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum TrajectoryModule {
    public static let name = "Trajectory"
}
