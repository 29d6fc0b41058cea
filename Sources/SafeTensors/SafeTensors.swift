// The SafeTensors layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum SafeTensorsModule {
    public static let name = "SafeTensors"
}
