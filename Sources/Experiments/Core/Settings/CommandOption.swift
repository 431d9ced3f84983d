/// A command-line option, declared once: its name, the name of its value, one help sentence, its
/// default and what it accepts. Parsing (unknown names, missing values), validation, `--help` and the
/// option reference and man page (Documentation/) are all generated from these declarations.
public protocol CommandOption: Sendable {
    /// Without the leading `--`.
    var name: String { get }
    /// The value's placeholder in help (`T`, `LIST`); nil for a switch that takes no value.
    var valueName: String? { get }
    var help: String { get }
    /// The default, as shown in help (`50`, `steps - 1`, `off`).
    var defaultText: String { get }
    /// What a value may be, as shown in help and in error messages.
    var accepted: String { get }
    /// Who reads it: the methods whose outcome it changes, the command, or nothing that is a result.
    var readers: SettingReaders { get }
}

/// A value that does not satisfy an option's declaration; `detail` adds context (e.g. "got 3 values").
public struct InvalidValue: Error, Sendable {
    public var detail: String?
    public init(_ detail: String? = nil) { self.detail = detail }
}

/// An option with a typed value: `parse` turns its text (from the command line or, through the same
/// declaration, from a JSON experiment file) into a validated value or throws `InvalidValue`.
public struct ValueOption<Value>: CommandOption {
    public var name: String
    public var valueName: String?
    public var help: String
    public var defaultText: String
    public var accepted: String
    public var readers: SettingReaders
    public var parse: @Sendable (String) throws -> Value

    public init(_ name: String, readers: SettingReaders, value valueName: String, help: String, default defaultText: String, accepted: String,
                parse: @escaping @Sendable (String) throws -> Value) {
        self.name = name
        self.readers = readers
        self.valueName = valueName
        self.help = help
        self.defaultText = defaultText
        self.accepted = accepted
        self.parse = parse
    }

    /// The message of a rejected value: `<source> '<text>' is not valid; accepted: ...`.
    public func rejection(_ text: String, source: String, _ error: InvalidValue) -> String {
        "\(source) '\(text)' is not valid\(error.detail.map { " (\($0))" } ?? ""); accepted: \(accepted)"
    }
}

/// A switch: present or absent.
public struct SwitchOption: CommandOption {
    public var name: String
    public var help: String
    public var readers: SettingReaders
    public var valueName: String? { nil }
    public var defaultText: String { "off" }
    public var accepted: String { "no value" }

    public init(_ name: String, readers: SettingReaders, help: String) {
        self.name = name
        self.readers = readers
        self.help = help
    }
}

/// Options shown together under one heading (model, sampler, methods, run, output, ...). Subcommands
/// share groups, so an option a subcommand does not take is simply not declared for it.
public struct OptionGroup: Sendable {
    public var title: String
    public var options: [any CommandOption]

    public init(_ title: String, _ options: [any CommandOption]) {
        self.title = title
        self.options = options
    }
}
