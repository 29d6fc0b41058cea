// The TinyWorld layer; see ../../docs/ARCHITECTURE.md (or ../shared/DESIGN.md) for what it owns.
public enum TinyWorldModule {
    public static let name = "TinyWorld"
}
