/// Bad input on the command line: printed as `Error: <message>` plus a usage hint, exit status 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Names the subcommand's own help when known.
    public var hint: String

    public init(message: String, hint: String = "Run 'toy-w2sd help' for usage.") {
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}

/// A failure after the input was accepted (exit status 1).
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
