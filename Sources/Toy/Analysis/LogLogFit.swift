import Foundation

/// The least-squares slope of log y against log x: the order p in y ~ C x^p.
/// Points with a non-positive or non-finite coordinate are skipped; fewer than two usable points give NaN.
public func logLogSlope(x: [Double], y: [Double]) -> Double {
    let pairs = zip(x, y).filter { $0 > 0 && $1 > 0 && $0.isFinite && $1.isFinite }.map { (log($0), log($1)) }
    guard pairs.count >= 2 else { return .nan }
    let n = Double(pairs.count)
    let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
    let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
    return sxx > 0 ? sxy / sxx : .nan
}
