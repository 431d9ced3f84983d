import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way CLI tests run the built executables (`toy-w2sd`, `notebooks`).
///
/// - `CLI.run(arguments, program:stdin:environment:directory:timeout:)` runs a program to the end and
///   returns its exit status (or the signal that ended it), stdout and stderr. Both pipes are read
///   concurrently on their own threads, so no amount of output can block the child.
/// - `CLI.start(...)` returns a running `CLI.Child`: `waitForLine(containing:on:)` blocks until the child
///   prints a line (the "ready line", e.g. a progress line), `signal(_:)` sends it a signal,
///   `wait(timeout:)` collects the same `Outcome` as `run`. Tests synchronise on lines, never on sleeps.
/// - Every child has a watchdog: at `timeout` seconds after it started (or at the limit `wait(timeout:)`
///   sets, if sooner) it is killed (SIGKILL), and `wait`/`waitForLine` throw `HarnessError.timedOut`, so
///   a hung command fails its test instead of hanging the suite.
///
/// Children are started with posix_spawn, an empty signal mask and default handling of SIGINT, SIGTERM,
/// SIGHUP, SIGQUIT and SIGPIPE: test threads block SIGINT and SIGTERM, and Foundation's `Process` would
/// pass that mask on, so a child started that way could not be interrupted. stdin is /dev/null unless
/// `stdin` gives its bytes (then a file, so a child that never reads it cannot block on it either).
///
/// The executables are found next to the test bundle: `swift test` builds every product into the same
/// `<scratch>/<triple>/<configuration>/` folder as `<package>PackageTests.xctest`, whatever the scratch
/// path (`.build` in CI, `.build-cli` here). Fallbacks: `TOY_W2SD_BINARY` (with `notebooks` beside it),
/// then the usual scratch paths relative to this source file.
enum CLI {
    enum Program: String, Sendable {
        case toyW2SD = "toy-w2sd"
        case notebooks
    }

    enum Stream: String, Sendable {
        case stdout, stderr
    }

    struct Outcome: Sendable {
        /// The exit status; 128 + the signal number when a signal ended the child (as a shell reports it).
        var status: Int32
        /// The signal that ended the child, nil when it exited.
        var signal: Int32?
        var stdout: Data
        var stderr: String
        var exited: Bool { signal == nil }
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    enum HarnessError: Error, CustomStringConvertible {
        case noBinary(Program)
        case spawnFailed(command: String, errno: Int32)
        case timedOut(command: String, seconds: TimeInterval, stdout: String, stderr: String)
        case noReadyLine(command: String, stream: Stream, wanted: String, output: String)
        case waitFailed(command: String, errno: Int32)

        var description: String {
            switch self {
            case .noBinary(let program):
                "\(program.rawValue) executable not found next to the test bundle; build it first (swift build --build-tests)"
            case .spawnFailed(let command, let code):
                "could not start \(command): \(String(cString: strerror(code)))"
            case .timedOut(let command, let seconds, let stdout, let stderr):
                "\(command) did not finish within \(seconds) s and was killed; stdout: \(stdout.suffix(500)) stderr: \(stderr.suffix(1000))"
            case .waitFailed(let command, let code):
                "could not collect the exit status of \(command): \(String(cString: strerror(code)))"
            case .noReadyLine(let command, let stream, let wanted, let output):
                "\(command) ended its \(stream.rawValue) without a line \(wanted); \(stream.rawValue): \(output.suffix(1000))"
            }
        }
    }

    /// The time limit of a child unless its test gives one.
    static let defaultTimeout: TimeInterval = 300

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of `toy-w2sd` (nil when it is not built).
    static let binary: String? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["TOY_W2SD_BINARY"], fm.isExecutableFile(atPath: explicit) {
            return explicit
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent())
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() { candidates.append(bundle.deletingLastPathComponent()) }
        // Inside an .xctest bundle directory (macOS layout): go up to the build folder.
        for url in candidates where url.path.contains(".xctest") {
            var u = url
            while u.path.contains(".xctest") { u.deleteLastPathComponent() }
            candidates.append(u)
        }
        for scratch in [".build", ".build-cli"] {
            candidates.append(packageRoot.appendingPathComponent("\(scratch)/debug"))
            candidates.append(packageRoot.appendingPathComponent("\(scratch)/release"))
        }
        return candidates.map { $0.appendingPathComponent("toy-w2sd").path }.first { fm.isExecutableFile(atPath: $0) }
    }()

    /// The path of `program` (the others live beside `toy-w2sd` in the build folder).
    static func path(_ program: Program) -> String? {
        guard let binary else { return nil }
        if program == .toyW2SD { return binary }
        let path = URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent(program.rawValue).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs `program` with `arguments` to the end. `environment` is added to (and overrides) the test
    /// process's environment; `directory` is the child's working directory; after `timeout` seconds the
    /// child is killed and `HarnessError.timedOut` thrown.
    static func run(_ arguments: [String], program: Program = .toyW2SD, stdin: Data? = nil, environment: [String: String] = [:],
                    directory: URL = packageRoot, timeout: TimeInterval = defaultTimeout) throws -> Outcome {
        try start(arguments, program: program, stdin: stdin, environment: environment, directory: directory, timeout: timeout).wait()
    }

    /// Runs another program by its path (a browser a test drives) the same way as `run`.
    static func run(executable path: String, _ arguments: [String], timeout: TimeInterval = defaultTimeout) throws -> Outcome {
        try Child(path: path, arguments: arguments, stdin: nil, environment: [:], directory: packageRoot, timeout: timeout).wait()
    }

    /// Starts `program` (as `run` does) and returns at once; the caller waits for lines, signals, waits.
    static func start(_ arguments: [String], program: Program = .toyW2SD, stdin: Data? = nil, environment: [String: String] = [:],
                      directory: URL = packageRoot, timeout: TimeInterval = defaultTimeout) throws -> Child {
        guard let path = path(program) else { throw HarnessError.noBinary(program) }
        return try Child(path: path, arguments: arguments, stdin: stdin, environment: environment, directory: directory, timeout: timeout)
    }

    /// A running child: its output is collected as it comes; a watchdog kills it at its deadline.
    final class Child: @unchecked Sendable {
        let pid: pid_t
        let command: String
        let timeout: TimeInterval
        private let deadline: Date
        // Everything below is guarded by `state`.
        private let state = NSCondition()
        private var output: [Stream: Data] = [.stdout: Data(), .stderr: Data()]
        private var consumed: [Stream: Int] = [.stdout: 0, .stderr: 0]
        private var openStreams: Set<Stream> = [.stdout, .stderr]
        private var waitStatus: Int32?
        private var reapError: Int32?
        private var killedByWatchdog = false
        private var secondsAllowed: TimeInterval

        /// Serialises pipe creation and spawning, so a pipe end (marked close-on-exec just after it is
        /// made) never leaks into another test's child and holds its pipe open.
        private static let spawnLock = NSLock()

        fileprivate init(path: String, arguments: [String], stdin: Data?, environment: [String: String], directory: URL,
                         timeout: TimeInterval) throws {
            command = ([URL(fileURLWithPath: path).lastPathComponent] + arguments).map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }
                .joined(separator: " ").prefix(300).description
            self.timeout = timeout
            secondsAllowed = timeout
            var stdinFile: Int32 = -1
            if let stdin {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("toy-w2sd-stdin-\(UUID().uuidString)")
                try stdin.write(to: url)
                stdinFile = open(url.path, O_RDONLY | O_CLOEXEC)
                try? FileManager.default.removeItem(at: url)
                guard stdinFile >= 0 else { throw HarnessError.spawnFailed(command: command, errno: errno) }
            }
            defer { if stdinFile >= 0 { close(stdinFile) } }

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t(), defaults = sigset_t()
            sigemptyset(&empty)
            sigemptyset(&defaults)
            for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            guard let addChdir = Self.addChdir, addChdir(&actions, directory.path) == 0 else {
                throw HarnessError.spawnFailed(command: command, errno: ENOSYS)
            }
            if stdinFile >= 0 {
                posix_spawn_file_actions_adddup2(&actions, stdinFile, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }

            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }

            var spawned = pid_t()
            var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
            Self.spawnLock.lock()
            let result: Int32 = {
                guard pipe(&outPipe) == 0 else { return errno }
                guard pipe(&errPipe) == 0 else { return errno }
                for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
                posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
                return posix_spawn(&spawned, path, &actions, &attributes, argv, envp)
            }()
            Self.spawnLock.unlock()
            for fd in [outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
            guard result == 0 else {
                for fd in [outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
                throw HarnessError.spawnFailed(command: command, errno: result)
            }
            let pid = spawned
            self.pid = pid
            deadline = Date().addingTimeInterval(timeout)

            let outRead = outPipe[0], errRead = errPipe[0]
            Thread.detachNewThread { self.drain(outRead, into: .stdout) }
            Thread.detachNewThread { self.drain(errRead, into: .stderr) }
            // The watchdog: wait for the exit without reaping (so the pid cannot be reused while a signal
            // may still be sent), kill the child at its deadline, then reap it.
            let exited = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                var info = siginfo_t()
                while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
                exited.signal()
            }
            Thread.detachNewThread {
                if exited.wait(timeout: .now() + timeout) == .timedOut {
                    self.state.lock()
                    self.killedByWatchdog = true
                    kill(pid, SIGKILL) // our own child, not yet reaped
                    self.state.unlock()
                    exited.wait()
                }
                self.state.lock()
                var status: Int32 = 0, reaped: pid_t
                repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
                if reaped != pid { self.reapError = errno }
                self.waitStatus = status
                self.state.broadcast()
                self.state.unlock()
            }
        }

        /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29, macOS 10.15), which Swift's Glibc module
        /// does not declare; looked up at run time.
        private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        private static let addChdir: AddChdir? = {
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else { return nil }
            return unsafeBitCast(symbol, to: AddChdir.self)
        }()

        private func drain(_ fd: Int32, into stream: Stream) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                state.lock()
                if count > 0 {
                    output[stream]!.append(contentsOf: buffer[0..<count])
                } else {
                    openStreams.remove(stream)
                }
                state.broadcast()
                state.unlock()
                if count <= 0 { break }
            }
            close(fd)
        }

        /// Sends `signal` to the child, unless it has already been reaped.
        func signal(_ signal: Int32) {
            state.lock(); defer { state.unlock() }
            if waitStatus == nil { kill(pid, signal) }
        }

        /// Blocks until the child prints a line (on `stream`) that `matches`, and returns it. Lines are
        /// consumed: a later call looks only at the lines after the one returned. Throws when the stream
        /// ends first (the child exited, or the watchdog killed it).
        func waitForLine(on stream: Stream = .stderr, description: String = "", where matches: (String) -> Bool) throws -> String {
            state.lock(); defer { state.unlock() }
            while true {
                let data = output[stream]!
                while let newline = data[(data.startIndex + consumed[stream]!)...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: data[(data.startIndex + consumed[stream]!)..<newline], as: UTF8.self)
                    consumed[stream] = newline + 1 - data.startIndex
                    if matches(line) { return line }
                }
                if !openStreams.contains(stream) || !state.wait(until: deadline.addingTimeInterval(10)) {
                    if killedByWatchdog { throw timedOutError() }
                    throw HarnessError.noReadyLine(command: command, stream: stream, wanted: description,
                                                   output: String(decoding: output[stream]!, as: UTF8.self))
                }
            }
        }

        /// `waitForLine` for a line containing `text`.
        func waitForLine(containing text: String, on stream: Stream = .stderr) throws -> String {
            try waitForLine(on: stream, description: "containing \(text.debugDescription)") { $0.contains(text) }
        }

        /// Waits for the child to end and for both pipes to close; returns everything it printed. The
        /// child is killed at its deadline, or `timeout` seconds from now if that comes first; then this
        /// throws `timedOut`.
        func wait(timeout limit: TimeInterval? = nil) throws -> Outcome {
            state.lock(); defer { state.unlock() }
            var killAt = limit.map { Date().addingTimeInterval($0) }
            while waitStatus == nil || !openStreams.isEmpty {
                if let at = killAt {
                    if !state.wait(until: at) {
                        if waitStatus == nil && !killedByWatchdog {
                            killedByWatchdog = true
                            secondsAllowed = limit ?? timeout
                            kill(pid, SIGKILL) // our own child, not yet reaped
                        }
                        killAt = nil
                    }
                } else if !state.wait(until: deadline.addingTimeInterval(10)) {
                    break // the child was killed at the deadline; only a grandchild holding a pipe could keep us here
                }
            }
            let stdout = output[.stdout]!, stderr = String(decoding: output[.stderr]!, as: UTF8.self)
            guard !killedByWatchdog, let status = waitStatus else { throw timedOutError() }
            if let reapError { throw HarnessError.waitFailed(command: command, errno: reapError) }
            let signal = status & 0x7F
            return signal == 0 ? Outcome(status: (status >> 8) & 0xFF, signal: nil, stdout: stdout, stderr: stderr)
                               : Outcome(status: 128 + signal, signal: signal, stdout: stdout, stderr: stderr)
        }

        private func timedOutError() -> HarnessError {
            .timedOut(command: command, seconds: secondsAllowed, stdout: String(decoding: output[.stdout]!, as: UTF8.self),
                      stderr: String(decoding: output[.stderr]!, as: UTF8.self))
        }
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("toy-w2sd-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func isWellFormedXML(_ text: String) -> Bool {
        XMLParser(data: Data(text.utf8)).parse()
    }
}
