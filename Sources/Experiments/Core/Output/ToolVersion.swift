/// The version of toy-w2sd, carried by every JSON document and printed by `--version`.
public enum ToolVersion {
    public static let current = "0.4.0"
}
