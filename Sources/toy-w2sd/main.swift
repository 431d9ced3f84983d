import Foundation

// Entry point: dispatch the subcommand, map errors to exit statuses (1 = run failed, 2 = usage).
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    try Command.run(arguments)
    exit(0)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("Error: \(error.message)\n\(error.hint)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
