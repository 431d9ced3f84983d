/// Bad input on the command line: printed as `Error: <message>` plus a usage hint, exit status 2.
struct UsageError: Error {
    var message: String
    var hint: String = "Run 'toy-w2sd help' for usage."
}
