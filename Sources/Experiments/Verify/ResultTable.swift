/// One value of a result table, typed: numbers stay numbers until a renderer formats them.
public enum Cell: Sendable, Equatable {
    /// A measured or computed real number (may be non-finite: a renderer writes it as such, never hides it).
    case number(Double)
    /// A count or an index (a step count T, a step index i, a number of cases).
    case integer(Int)
    /// A label (an inversion's name, a preset).
    case text(String)
    /// No value belongs in this cell (the quantity does not apply to this row).
    case undefined

    /// The real value of a `number` or `integer` cell; nil otherwise.
    public var numericValue: Double? {
        switch self {
        case let .number(value): return value
        case let .integer(value): return Double(value)
        case .text, .undefined: return nil
        }
    }
}

/// How the numbers of a column are to be written. The renderer (outside Toy) applies it; declaring it
/// with the column keeps one format per quantity.
public enum CellFormat: Sendable, Equatable {
    /// Fixed point with this many decimals ("0.1234").
    case fixed(decimals: Int)
    /// Fixed point with an explicit sign ("+0.0123", "-0.0456").
    case signedFixed(decimals: Int)
    /// Scientific notation with this many decimals in the mantissa ("1.2345e-03").
    case scientific(decimals: Int)
    /// This many significant digits, in fixed or scientific notation, whichever is shorter ("0.0123", "6.8e+02").
    case significant(digits: Int)
}

/// One column: its heading, the format of its numbers and its cells, top to bottom.
public struct Column: Sendable, Equatable {
    public var name: String
    public var format: CellFormat
    public var values: [Cell]

    init(_ name: String, format: CellFormat = .significant(digits: 4), values: [Cell] = []) {
        self.name = name
        self.format = format
        self.values = values
    }
}

/// A table of typed columns of equal length (the invariant every initializer and mutation keeps).
public struct ResultTable: Sendable, Equatable {
    /// What the table shows; empty when the check's own name says it.
    public var title: String
    public private(set) var columns: [Column]

    /// Declares the columns; their values (if any) must have equal lengths.
    init(title: String = "", columns: [Column]) {
        precondition(Set(columns.map(\.values.count)).count <= 1, "ResultTable: columns of unequal length")
        self.title = title
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// Appends one row, one cell per column in column order.
    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "ResultTable: a row of \(row.count) cells for \(columns.count) columns")
        for (index, cell) in row.enumerated() { columns[index].values.append(cell) }
    }

    /// The cells of row `index`, in column order.
    public func row(_ index: Int) -> [Cell] { columns.map { $0.values[index] } }

    /// The first column with this heading.
    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
}
