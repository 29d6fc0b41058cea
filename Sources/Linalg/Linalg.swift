// The Linalg layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum LinalgModule {
    public static let name = "Linalg"
}
